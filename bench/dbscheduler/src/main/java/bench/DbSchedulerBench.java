package bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The step runner's R1 and R2 done the way a task scheduler does them: one db-scheduler
 * task instance per enrollment, due now, in db-scheduler's own table on the same
 * PostgreSQL. {@code calls}: each execution signs and POSTs a webhook body to the bench's
 * receiver and completes its enrollment row (R1). {@code updates}: each execution only
 * completes its row (R2: a wait that falls due). Prints the time from the scheduler's
 * start to the last task gone, and the rate.
 *
 * <pre>java -jar dbscheduler.jar JDBC_URL USER RECEIVER_URL N THREADS calls|updates</pre>
 */
public final class DbSchedulerBench {

	private static final String BODY = "{\"type\": \"journey.step.webhook\", \"timestamp\": \"2026-11-29T08:00:00Z\", "
			+ "\"data\": {\"journey\": {\"id\": \"0190a0b0-0000-7000-8000-000000000000\", \"name\": \"Bench\"}, "
			+ "\"step\": {\"id\": \"step_0123456789abcdef\", \"type\": \"webhook\", \"position\": 1}, "
			+ "\"enrollment\": {\"id\": \"%s\", \"enrolled_at\": \"2026-11-29T08:00:00Z\"}, "
			+ "\"contact\": {\"id\": \"0190a0b0-0000-7000-8000-000000000001\", \"email_address\": "
			+ "\"someone@example.com\", \"first_name\": null, \"last_name\": null}, \"attempt\": 1}}";

	private DbSchedulerBench() {
	}

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String user = args[1];
		String receiver = args[2];
		int n = Integer.parseInt(args[3]);
		int threads = Integer.parseInt(args[4]);
		boolean calls = "calls".equals(args[5]);
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(user);
		config.setMaximumPoolSize(threads + 5);
		try (HikariDataSource dataSource = new HikariDataSource(config);
				CloseableHttpClient http = HttpClients.custom()
					.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
						.setMaxConnTotal(threads * 2)
						.setMaxConnPerRoute(threads)
						.build())
					.disableAutomaticRetries()
					.disableRedirectHandling()
					.build()) {
			setUp(dataSource, n);
			byte[] key = "bench-signing-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
			OneTimeTask<Void> task = Tasks.oneTime("step").execute((instance, context) -> {
				String id = instance.getId();
				try {
					if (calls) {
						String body = BODY.formatted(id);
						HttpPost post = new HttpPost(receiver);
						long timestamp = System.currentTimeMillis() / 1000;
						post.setHeader("webhook-id", "msg_" + id);
						post.setHeader("webhook-timestamp", Long.toString(timestamp));
						post.setHeader("webhook-signature", "v1," + sign(key, "msg_" + id + "." + timestamp + "." + body));
						post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
						http.execute(post, response -> {
							EntityUtils.consume(response.getEntity());
							return response.getCode();
						});
					}
					try (Connection connection = dataSource.getConnection();
							PreparedStatement update = connection.prepareStatement(
									"update bench_enrollments set status = 'completed' where id = cast(? as uuid)")) {
						update.setString(1, id);
						update.executeUpdate();
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			Scheduler scheduler = Scheduler.create(dataSource, task)
				.threads(threads)
				.pollUsingLockAndFetch(0.5, 1.0)
				.pollingInterval(Duration.ofMillis(200))
				.build();
			long start = System.nanoTime();
			scheduler.start();
			int left = n;
			while (left > 0) {
				Thread.sleep(100);
				left = count(dataSource, "select count(*) from scheduled_tasks");
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			int completed = count(dataSource, "select count(*) from bench_enrollments where status = 'completed'");
			scheduler.stop();
			System.out.printf("db-scheduler %s: %d tasks, %d threads, %.2f s, %.0f per second, %d completed%n",
					calls ? "calls" : "updates", n, threads, seconds, n / seconds, completed);
		}
	}

	/** n enrollments, and one db-scheduler task instance per enrollment, due now. */
	private static void setUp(HikariDataSource dataSource, int n) throws Exception {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists scheduled_tasks, bench_enrollments");
			statement.execute("""
					create table scheduled_tasks (
					  task_name text not null, task_instance text not null, task_data bytea,
					  execution_time timestamptz not null, picked boolean not null, picked_by text,
					  last_success timestamptz, last_failure timestamptz, consecutive_failures int,
					  last_heartbeat timestamptz, version bigint not null, priority smallint,
					  primary key (task_name, task_instance))""");
			statement.execute("create index execution_time_idx on scheduled_tasks (execution_time)");
			statement.execute("create index last_heartbeat_idx on scheduled_tasks (last_heartbeat)");
			statement.execute(
					"create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)");
			statement.execute("create table bench_enrollments (id uuid primary key, status text not null)");
			statement.execute("insert into bench_enrollments select gen_random_uuid(), 'active' from generate_series(1, "
					+ n + ")");
			statement.execute("""
					insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version, priority)
					select 'step', id::text, now(), false, 1, 0 from bench_enrollments""");
			statement.execute("vacuum analyze scheduled_tasks");
			statement.execute("vacuum analyze bench_enrollments");
		}
	}

	private static int count(HikariDataSource dataSource, String sql) throws Exception {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private static String sign(byte[] key, String content) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
	}

}

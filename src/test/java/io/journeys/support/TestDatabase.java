package io.journeys.support;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL every data test runs against, chosen once per JVM in this order and
 * logged: {@code JOURNEYS_TEST_DATABASE_URL} (a server; the suite creates its own
 * database there, or uses the one the URL names when {@code JOURNEYS_TEST_DATABASE_AS_IS}
 * is {@code true}), else a Testcontainers {@code postgres:17-alpine} when a Docker engine
 * answers, else an embedded PostgreSQL 17. Never H2, never a mock.
 */
public final class TestDatabase {

	private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);

	private static TestDatabase instance;

	private final String url;

	private final String username;

	private final String password;

	private final String kind;

	private TestDatabase(String url, String username, String password, String kind) {
		this.url = url;
		this.username = username;
		this.password = password;
		this.kind = kind;
	}

	public static synchronized TestDatabase get() {
		if (instance == null) {
			instance = start();
			log.info("Tests use PostgreSQL from {}: {}", instance.kind, instance.url);
		}
		return instance;
	}

	public String url() {
		return this.url;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.username, this.password);
	}

	private static TestDatabase start() {
		String server = System.getenv("JOURNEYS_TEST_DATABASE_URL");
		if (server != null && !server.isBlank() && "true".equals(System.getenv("JOURNEYS_TEST_DATABASE_AS_IS"))) {
			// a database made beforehand, e.g. on every node of a Citus cluster
			// (../shared/citus/cluster.sh db NAME), where a plain create database is not
			// enough
			return new TestDatabase(server, env("JOURNEYS_TEST_DATABASE_USERNAME", "postgres"),
					env("JOURNEYS_TEST_DATABASE_PASSWORD", ""), "JOURNEYS_TEST_DATABASE_URL, as is");
		}
		if (server != null && !server.isBlank()) {
			return onServer(server, env("JOURNEYS_TEST_DATABASE_USERNAME", "postgres"),
					env("JOURNEYS_TEST_DATABASE_PASSWORD", ""), "JOURNEYS_TEST_DATABASE_URL");
		}
		if (dockerAnswers()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
			container.start();
			return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
					"Testcontainers postgres:17-alpine");
		}
		try {
			EmbeddedPostgres embedded = EmbeddedPostgres.builder().setPort(0).start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					embedded.close();
				}
				catch (IOException ex) {
					// the JVM is going away; the temporary data folder goes with the
					// process
				}
			}));
			return onServer(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "",
					"embedded PostgreSQL (io.zonky.test)");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start an embedded PostgreSQL", ex);
		}
	}

	/** Creates a fresh database on a server, and drops it when the JVM ends. */
	private static TestDatabase onServer(String serverUrl, String username, String password, String kind) {
		String name = "journeys_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(serverUrl, username, password);
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create a test database at " + serverUrl, ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try (Connection connection = DriverManager.getConnection(serverUrl, username, password);
					Statement statement = connection.createStatement()) {
				statement.execute("drop database if exists " + name + " with (force)");
			}
			catch (SQLException ex) {
				// best effort: a leftover test database is harmless
			}
		}));
		return new TestDatabase(withDatabase(serverUrl, name), username, password, kind);
	}

	static String withDatabase(String serverUrl, String database) {
		int query = serverUrl.indexOf('?');
		String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
		String params = query < 0 ? "" : serverUrl.substring(query);
		int slash = base.indexOf('/', "jdbc:postgresql://".length());
		String hostPart = slash < 0 ? base : base.substring(0, slash);
		return hostPart + "/" + database + params;
	}

	private static boolean dockerAnswers() {
		if ("false".equals(System.getenv("JOURNEYS_TEST_DOCKER"))) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return value == null ? fallback : value;
	}

	@Override
	public String toString() {
		return this.kind.toLowerCase(Locale.ROOT) + " " + this.url;
	}

}

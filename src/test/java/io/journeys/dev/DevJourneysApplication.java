package io.journeys.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.journeys.JourneysApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.SpringApplication;

/**
 * Development mode, started by {@code ./mvnw spring-boot:test-run}: an embedded
 * PostgreSQL 17 whose data lives in {@code .data/postgres} (git-ignored, kept across
 * restarts), the migrations, and a demo company with a key, a journey in state
 * {@code on}, contacts and a list, created on first start. The packaged jar never
 * contains this class: production mode never starts a database.
 */
public final class DevJourneysApplication {

	static final Path DATA = Path.of(".data");

	private DevJourneysApplication() {
	}

	public static void main(String[] args) throws IOException, SQLException {
		Files.createDirectories(DATA);
		int port = Integer.parseInt(System.getenv().getOrDefault("JOURNEYS_DEV_DB_PORT", "0"));
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(DATA.resolve("postgres"))
			.setCleanDataDirectory(false)
			.setPort(port)
			.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				postgres.close();
			}
			catch (IOException ex) {
				// stopping anyway
			}
		}));
		String url = postgres.getJdbcUrl("postgres", "journeys");
		createDatabaseIfMissing(postgres.getJdbcUrl("postgres", "postgres"));
		System.setProperty("spring.datasource.url", url);
		System.setProperty("spring.datasource.username", "postgres");
		System.setProperty("spring.datasource.password", "");
		// the demo journey calls development mode's own receiver, on http and loopback
		System.setProperty("journeys.webhook.allow-http", "true");
		System.setProperty("journeys.webhook.allow-private", "true");
		String admin = System.getenv("JOURNEYS_ADMIN_TOKEN");
		if (admin == null || admin.isBlank()) {
			System.setProperty("journeys.admin.token", kept("admin-token", "dev-admin-"));
		}
		String secretKey = System.getenv("JOURNEYS_WEBHOOK_SECRET_KEY");
		if (secretKey == null || secretKey.isBlank()) {
			System.setProperty("journeys.webhook.secret-key", kept("webhook-secret-key", "dev-key-"));
		}
		SpringApplication.from(JourneysApplication::main).with(DemoData.class).run(args);
	}

	/**
	 * A random value of development mode, made on first start and kept in
	 * {@code .data/<name>}: the admin token, so that {@code /admin/v1} works without
	 * setting {@code JOURNEYS_ADMIN_TOKEN}, and the key that encrypts webhook secrets
	 * (the variables, when set, win).
	 */
	private static String kept(String name, String prefix) throws IOException {
		Path file = DATA.resolve(name);
		if (Files.exists(file)) {
			return Files.readString(file).strip();
		}
		byte[] random = new byte[16];
		new java.security.SecureRandom().nextBytes(random);
		String value = prefix + java.util.HexFormat.of().formatHex(random);
		Files.writeString(file, value);
		return value;
	}

	private static void createDatabaseIfMissing(String serverUrl) throws SQLException {
		try (Connection connection = DriverManager.getConnection(serverUrl, "postgres", "");
				Statement statement = connection.createStatement()) {
			try (ResultSet rs = statement.executeQuery("select 1 from pg_database where datname = 'journeys'")) {
				if (rs.next()) {
					return;
				}
			}
			statement.execute("create database journeys");
		}
	}

}

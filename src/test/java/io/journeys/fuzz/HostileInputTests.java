package io.journeys.fuzz;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Bad input never breaks it". Thousands of seeded random and hostile requests against
 * every path of enroll.md and management.md (and {@code /admin/v1}), over raw sockets so
 * that nothing about a request is off limits: hostile JSON bodies, odd headers, odd ids
 * in paths, odd query strings.
 * <p>
 * Every answer must be a status the spec names and never a 5xx; every answer but 204 (and
 * HEAD or a bodiless OPTIONS) must be {@code application/json} and parse, with an
 * {@code error} key from 400 up. After every request the data of the company is
 * fingerprinted straight from PostgreSQL (counts and checksums of contacts, lists,
 * list_members, journeys, enrollments and api_keys): a refused request (4xx) must leave
 * it exactly as it was, and no request made with one company's key may ever change
 * another company's data.
 * <p>
 * Each property is a plain JUnit test driving its own seeded {@link Random} rather than a
 * jqwik {@code @Property}: the properties need the running application of
 * {@link ApiTests}, which jqwik's lifecycle does not inject. A run is reproducible; every
 * violation names its property, try and seed. Another seed:
 * {@code -Djourneys.fuzz.seed=<n>}; more tries: {@code -Djourneys.fuzz.scale=<x>} (1
 * gives about 2,700 requests). {@link #theInputsThatOnceBrokeIt()} keeps, with exact
 * answers, the inputs that broke the service when this class was written.
 */
class HostileInputTests extends ApiTests {

	private static final long SEED = Long.getLong("journeys.fuzz.seed", 20_261_127L);

	private static final double SCALE = Double.parseDouble(System.getProperty("journeys.fuzz.scale", "1"));

	/** Every status the two spec files name. */
	private static final Set<Integer> SPEC_STATUSES = Set.of(200, 201, 204, 400, 401, 404, 405, 409, 413, 415, 422,
			429);

	private static final int MIB = 1024 * 1024;

	private static final int MAX_REPORTED = 40;

	private World world;

	private Connection db;

	private PreparedStatement fingerprintQuery;

	private Fingerprint baseline;

	private final Map<String, String> violations = new LinkedHashMap<>();

	private int violationCount;

	private int sent;

	private long httpNanos;

	private long sqlNanos;

	private final Map<Integer, Integer> statuses = new TreeMap<>();

	// ---------------------------------------------------------------------------------------------
	// The properties
	// ---------------------------------------------------------------------------------------------

	/**
	 * Random and hostile JSON bodies on every endpoint, with the company's own ids
	 * mostly.
	 */
	@Test
	void hostileBodiesNeverBreakAnyEndpoint() {
		runProperty("bodies", 900, (g, n) -> {
			Endpoint endpoint = g.pick(ENDPOINTS);
			String method = g.chance(0.06) ? g.pick(ODD_METHODS) : endpoint.method();
			String path = endpoint.path(
					endpoint.destructive() || g.chance(0.2) ? hostileId(g, endpoint.slot()) : ownId(g, endpoint.slot()),
					this.world.enrolledJourney);
			byte[] body = hostileBody(g, endpoint.kind());
			Request request = new Request(method, path, auth(endpoint), body, g.chance(0.1));
			request.header("Content-Type", g.chance(0.9) ? "application/json" : g.pick(JSON_CONTENT_TYPES));
			return request;
		}, null);
	}

	/**
	 * Odd ids in every path slot: junk, percent-encoded junk, unicode, huge, another
	 * company's.
	 */
	@Test
	void oddIdsInPathsAreNotFound() {
		runProperty("ids", 400, (g, n) -> {
			List<Endpoint> withIds = ENDPOINTS.stream().filter(e -> e.slot() != Slot.NONE).toList();
			Endpoint endpoint = g.pick(withIds);
			String id = hostileId(g, endpoint.slot());
			byte[] body = endpoint.kind() == Kind.NONE ? null : utf8(minimalBody(endpoint.kind()));
			Request request = new Request(endpoint.method(), endpoint.path(id, this.world.enrolledJourney),
					auth(endpoint), body, false);
			if (body != null) {
				request.header("Content-Type", "application/json");
			}
			request.expectation = answer -> {
				boolean journeyPath = endpoint.slot() == Slot.JOURNEY;
				boolean routeChanging = id.contains(".") || id.contains(";") || id.contains("/")
						|| id.toLowerCase(Locale.ROOT).contains("%2e");
				if (answer.status() == 404) {
					String error = answer.json() == null ? null : answer.json().path("error").asString(null);
					String expected = endpoint.slot().notFound;
					if (journeyPath && !routeChanging) {
						return "Journey not found".equals(error) ? null
								: "a strange journey id must answer {\"error\": \"Journey not found\"}";
					}
					// a path the firewall refuses as a whole is answered for the journey
					// it names
					boolean refusedWhole = endpoint.template().startsWith("/v1/journeys/")
							&& !id.matches("[0-9A-Za-z-]*") && "Journey not found".equals(error);
					return expected.equals(error) || "Not found".equals(error) || refusedWhole ? null
							: "404 with an unexpected error " + error;
				}
				boolean rawBytes = id.chars().anyMatch(c -> c > 0x7f);
				if (answer.status() == 400 && (!journeyPath || rawBytes)) {
					// a path the container cannot decode (or a request line that is no
					// HTTP at all):
					// refused by Tomcat before any filter, still as JSON; only journey
					// ids are promised 404
					return null;
				}
				return "an id that names nothing of the company must be 404, not " + answer.status();
			};
			return request;
		}, null);
	}

	/** Odd limit, cursor, status, state and email_address on every collection. */
	@Test
	void oddQueryStringsOnEveryCollection() {
		runProperty("queries", 500, (g, n) -> {
			Listing listing = g.pick(LISTINGS);
			String path = listing.path(this.world);
			StringBuilder query = new StringBuilder();
			boolean[] undecodable = { false };
			int params = g.between(1, 4);
			for (int i = 0; i < params; i++) {
				String name = g.chance(0.85) ? g.pick(listing.params()) : g.pick(List.of("Limit", "LIMIT", "limit[]",
						"cursor[]", "%6Cimit", "", "x", "status%00", "email_address ", "\u00e9"));
				query.append(query.isEmpty() ? "?" : "&");
				undecodable[0] |= name.isEmpty(); // Tomcat refuses a parameter without a
													// name
				query.append(name.contains("%") ? name : encodeQuery(name));
				if (!g.chance(0.05)) {
					if (g.chance(0.05)) {
						undecodable[0] = true;
						query.append('=').append(g.pick(UNDECODABLE));
					}
					else {
						query.append('=').append(queryValue(g, name));
					}
				}
			}
			if (g.chance(0.05)) {
				String tail = g.pick(List.of("&", "&&", "&=", "&=&", "#frag", "&%", "&%zz=1", "&a=%"));
				undecodable[0] |= tail.contains("%") || tail.contains("&=") || tail.contains("#");
				query.append(tail);
			}
			Request request = new Request("GET", path + query, auth(listing.admin()), null, false);
			request.expectation = answer -> {
				if (answer.status() == 200) {
					return checkPage(answer.json());
				}
				if (answer.status() == 422) {
					JsonNode error = answer.json().path("error");
					if (!error.isObject()) {
						return "a bad query parameter is a field error";
					}
					for (String key : error.propertyNames()) {
						if (!Set.of("limit", "cursor", "status", "state").contains(key)) {
							return "field error on an unexpected key " + key;
						}
					}
					return null;
				}
				if (answer.status() == 400 && undecodable[0]) {
					return null; // percent-encoding that does not decode: the query
									// string is no query string
				}
				return "a collection answers 200 or 422, not " + answer.status();
			};
			return request;
		}, null);
	}

	/**
	 * Content-Type and Accept variants, garbage Authorization, huge and duplicated
	 * headers.
	 */
	@Test
	void oddHeadersOnEveryEndpoint() {
		runProperty("headers", 600, (g, n) -> {
			Endpoint endpoint = g.pick(ENDPOINTS);
			String path = endpoint.path(
					endpoint.destructive() ? plainForeignId(g, endpoint.slot()) : ownId(g, endpoint.slot()),
					this.world.enrolledJourney);
			byte[] body = endpoint.kind() == Kind.NONE && g.chance(0.7) ? null : utf8(goodBody(g, endpoint.kind()));
			Request request = new Request(endpoint.method(), path, null, body, g.chance(0.15));
			String goodToken = endpoint.admin() ? ADMIN_TOKEN : this.world.a.token();
			String authorization = authorizationVariant(g, endpoint.admin());
			if (authorization != null) {
				request.header("Authorization", authorization);
			}
			if (g.chance(0.05)) {
				request.header("Authorization", g.chance(0.5) ? "Bearer " + goodToken : "Bearer nope");
			}
			String contentType = null;
			if (body != null && g.chance(0.9)) {
				contentType = g.chance(0.5) ? g.pick(JSON_CONTENT_TYPES) : g.pick(OTHER_CONTENT_TYPES);
				request.header("Content-Type", contentType);
			}
			boolean connectorLevel = false;
			boolean idempotencyKey = false;
			int extras = g.between(0, 4);
			for (int i = 0; i < extras; i++) {
				switch (g.between(0, 11)) {
					case 0 -> request.header("Accept", g.pick(ACCEPTS));
					case 1 -> request.header("X-Junk-" + i, latin1Junk(g, g.between(500, 2500)));
					case 2 -> request.header("X-Request-Id", g.pick(List.of("", "a b", "../..", "x".repeat(129),
							"\u00ff\u00fe", latin1Junk(g, 300), "${jndi:ldap://x/a}", "ok-id-1")));
					case 3 -> {
						idempotencyKey = true;
						request.header("Idempotency-Key", g.pick(List.of("", " ", "k".repeat(256), "k".repeat(255),
								"fuzz-" + g.between(0, 20), latin1Junk(g, 40), "\u00e9t\u00e9")));
					}
					case 4 -> request.header("Content-Encoding", g.pick(List.of("gzip", "br", "identity", "x")));
					case 5 -> {
						// Tomcat takes at most 100 headers
						for (int k = 0; k < 40 && request.headers.size() < 90; k++) {
							request.header("X-Many-" + k, "v".repeat(40));
						}
					}
					case 6 -> request.header("Accept-Charset", g.pick(List.of("bogus", "utf-16", "*")));
					case 7 -> request.header("Accept-Language", g.pick(List.of("xx", "*;q=bogus", "de-DE,,,")));
					case 8 -> request.header("Cookie", "JSESSIONID=" + latin1Junk(g, 50) + "; x=" + latin1Junk(g, 20));
					case 9 -> request.header("Range", g.pick(List.of("bytes=0-1", "bytes=junk", "items=1-2")));
					case 10 -> request.header("X-HTTP-Method-Override", g.pick(List.of("DELETE", "PUT", "FOO")));
					default -> {
						if (g.chance(0.5)) {
							request.header("Expect", "100-continue");
						}
						else {
							// refused by Tomcat itself, before any filter: a JSON 400 all
							// the same
							connectorLevel = true;
							if (g.chance(0.5)) {
								request.hostHeader = g.pick(List.of("a b", "[::1", "localhost:99999", "exa mple.com"));
							}
							else {
								request.header("Content-Length",
										g.pick(List.of("-1", "abc", "1, 2", "99999999999999999999")));
							}
						}
					}
				}
			}
			while (request.headerBytes() > 7000) {
				request.dropLargestJunk();
			}
			boolean authValid = authorizationValid(request.first("Authorization"), goodToken);
			boolean bodyEndpoint = endpoint.kind() != Kind.NONE && !"GET".equals(endpoint.method());
			boolean notJson = contentType != null && OTHER_CONTENT_TYPES.contains(contentType);
			boolean strictContentType = !connectorLevel && !idempotencyKey && authValid && bodyEndpoint && notJson
					&& body.length > 0;
			boolean strictAuth = !connectorLevel && !authValid;
			boolean containerMayRefuse = connectorLevel;
			request.expectation = answer -> {
				if (strictAuth) {
					if (answer.status() != 401) {
						return "a bad Authorization must be 401, not " + answer.status();
					}
					if (!"Bearer".equals(answer.header("WWW-Authenticate"))) {
						return "a 401 must carry WWW-Authenticate: Bearer";
					}
				}
				else if (!containerMayRefuse && answer.status() == 401) {
					return "a good key was refused with 401";
				}
				boolean formParsed = answer.status() == 400
						&& "application/x-www-form-urlencoded".equals(request.first("Content-Type"));
				if (strictContentType && answer.status() != 415 && answer.status() != 429 && !formParsed) {
					return "a body of Content-Type " + request.first("Content-Type") + " must be 415, not "
							+ answer.status();
				}
				return null;
			};
			return request;
		}, null);
	}

	/**
	 * Requests that are valid but for one poisoned part: each must be refused, and
	 * refusing must leave no trace (all or nothing).
	 */
	@Test
	void poisonedRequestsAreRefusedAndChangeNothing() {
		runProperty("poisoned", 300, (g, n) -> poisonedRequest(g),
				answer -> answer.status() >= 400 && answer.status() < 500 ? null
						: "a poisoned request must be refused with a 4xx, not " + answer.status());
	}

	/**
	 * The inputs the properties above once broke the service with, each with its exact
	 * answer.
	 */
	@Test
	void theInputsThatOnceBrokeIt() {
		String token = "Bearer " + this.world.a.token();
		String on = this.world.journeyIds("on").get(0);
		String farFuture = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(utf8("31556889864403199.0." + UUID.randomUUID()));
		List<Object[]> cases = List.of(
				// U+0000 cannot be stored by PostgreSQL: a field error, or (emails) an
				// address that matches nothing
				new Object[] {
						request("POST", "/admin/v1/companies", "Bearer " + ADMIN_TOKEN, "{\"name\": \"a\\u0000b\"}"),
						422, "{\"error\": {\"name\": [\"must not contain null characters\"]}}" },
				new Object[] { request("POST", "/v1/contacts", token, "{\"email_address\": \"a\\u0000@example.com\"}"),
						422, "{\"error\": {\"email_address\": [\"must not contain null characters\"]}}" },
				new Object[] {
						request("POST", "/v1/journeys/" + on + "/enroll", token,
								"{\"contact_email_addresses\": [\"X\\u0000@example.com\"]}"),
						200,
						"{\"enrolled_count\": 0, \"not_enrolled\": {\"not_found\": [\"x\\ufffd@example.com\"],"
								+ " \"already_enrolled\": [], \"recently_completed\": []}}" },
				new Object[] { request("DELETE", "/v1/lists/" + this.world.listIds.get(0) + "/members", token,
						"{\"contact_email_addresses\": [\"\\u0000\"]}"), 200, "{\"removed_count\": 0}" },
				new Object[] { new Request("GET", "/v1/contacts?email_address=a%00b", token, null, false), 200,
						onePage(50) },
				// a query string Tomcat cannot decode
				new Object[] { new Request("GET", "/v1/contacts?limit=%zz", token, null, false), 400,
						"{\"error\": \"request parameters are not valid\"}" },
				new Object[] { new Request("GET", "/v1/lists?email_address=%ED%A0%80", token, null, false), 400,
						"{\"error\": \"request parameters are not valid\"}" },
				// a time no timestamptz holds
				new Object[] { new Request("GET", "/v1/contacts?cursor=" + farFuture, token, null, false), 422,
						"{\"error\": {\"cursor\": [\"is invalid\"]}}" },
				new Object[] { request("POST", "/v1/journeys/" + on + "/enrollments/import", token,
						"{\"enrollments\": [{\"email_address\": \"person9@example.com\", \"enrolled_at\": \"-999999999-01-01T00:00:00Z\"}]}"),
						422, "{\"error\": {\"enrollments[0].enrolled_at\": [\"is out of range\"]}}" },
				// Content-Types Spring refuses before any converter is asked
				new Object[] { withHeader(request("POST", "/v1/contacts/bulk", token, "{\"contacts\": []}"),
						"Content-Type", "multipart/form-data"), 415,
						"{\"error\": \"Content-Type must be application/json\"}" },
				new Object[] {
						withHeader(request("POST", "/v1/contacts", token, "{}"), "Content-Type", "application/*"), 415,
						"{\"error\": \"Content-Type must be application/json\"}" },
				// a DELETE's body of another type: Spring reads it as missing (was 400)
				new Object[] { withHeader(
						request("DELETE", "/v1/lists/" + this.world.listIds.get(0) + "/members", token,
								"{\"contact_email_addresses\": [\"person1@example.com\"]}"),
						"Content-Type", "image/png"), 415, "{\"error\": \"Content-Type must be application/json\"}" },
				// Accept is not consulted: JSON whatever it says
				new Object[] { withHeader(new Request("GET", "/v1/contacts?email_address=nobody@x", token, null, false),
						"Accept", "text/html"), 200, onePage(50) },
				new Object[] {
						withHeader(new Request("GET", "/v1/contacts/nope", token, null, false), "Accept", "garbage"),
						404, "{\"error\": \"Contact not found\"}" },
				new Object[] { withHeader(request("POST", "/v1/journeys", token, "{}"), "Accept", "text/*;q=bogus"),
						422, "{\"error\": {\"name\": [\"can't be blank\"]}}" },
				// an Authorization header with bytes the security firewall used to refuse
				// with a 404
				new Object[] {
						new Request("GET", "/v1/contacts", "Bearer \u0085\u00ff" + this.world.a.token(), null, false),
						401, "{\"error\": \"Invalid or missing API token\"}" },
				new Object[] {
						new Request("GET", "/v1/journeys/" + on, "Bearer \u0085" + this.world.a.token(), null, false),
						401, "{\"error\": \"Invalid or missing API token\"}" });
		for (int i = 0; i < cases.size(); i++) {
			Request request = (Request) cases.get(i)[0];
			int status = (Integer) cases.get(i)[1];
			String json = (String) cases.get(i)[2];
			request.expectation = answer -> {
				if (answer.status() != status) {
					return "expected " + status;
				}
				return json == null || Response.JSON.readTree(json).equals(answer.json()) ? null : "expected " + json;
			};
		}
		runProperty("regressions", cases.size(), (g, n) -> (Request) cases.get(n)[0], null);
	}

	private static Request withHeader(Request request, String name, String value) {
		request.headers.removeIf(header -> header[0].equalsIgnoreCase(name));
		request.header(name, value);
		return request;
	}

	// ---------------------------------------------------------------------------------------------
	// The harness: run, check, fingerprint
	// ---------------------------------------------------------------------------------------------

	@BeforeEach
	void buildWorld() throws SQLException {
		this.world = new World();
		this.world.build();
		this.db = TestDatabase.get().connect();
		this.fingerprintQuery = this.db.prepareStatement(FINGERPRINT_SQL);
		this.baseline = fingerprint();
	}

	@AfterEach
	void closeDatabase() throws SQLException {
		if (this.db != null) {
			this.db.close();
		}
	}

	interface Case {

		Request make(Gen g, int tryNumber);

	}

	private void runProperty(String name, int tries, Case cases, Function<Answer, String> extra) {
		int total = name.equals("regressions") ? tries : Math.max(1, (int) Math.round(tries * SCALE));
		long seed = SEED ^ name.hashCode();
		Gen g = new Gen(new Random(seed));
		long started = System.nanoTime();
		for (int i = 0; i < total; i++) {
			Request request = cases.make(g, i);
			long before = System.nanoTime();
			Answer answer = exchange(request);
			this.httpNanos += System.nanoTime() - before;
			this.sent++;
			this.statuses.merge(answer.status(), 1, Integer::sum);
			String where = name + " #" + i + " (seed " + SEED + ")";
			check(where, request, answer);
			if (request.expectation != null && answer.status() > 0) {
				report(where, request, answer, request.expectation.apply(answer));
			}
			if (extra != null && answer.status() > 0) {
				report(where, request, answer, extra.apply(answer));
			}
			before = System.nanoTime();
			checkData(where, request, answer);
			this.sqlNanos += System.nanoTime() - before;
		}
		long millis = (System.nanoTime() - started) / 1_000_000;
		System.out.printf(
				"[fuzz] %s: %d requests in %d ms (http %d ms, fingerprints %d ms), statuses %s, violations %d%n", name,
				this.sent, millis, this.httpNanos / 1_000_000, this.sqlNanos / 1_000_000, this.statuses,
				this.violationCount);
		assertThat(this.violations.values())
			.as("%d violations in %d requests of property %s (seed %d), first %d:%n%s", this.violationCount, this.sent,
					name, SEED, Math.min(MAX_REPORTED, this.violations.size()),
					String.join("\n\n", this.violations.values().stream().limit(MAX_REPORTED).toList()))
			.isEmpty();
	}

	/** The invariants every answer must hold, whatever was asked. */
	private void check(String where, Request request, Answer answer) {
		if (answer.status() < 0) {
			report(where, request, answer, "no HTTP answer: " + answer.failure());
			return;
		}
		if (!SPEC_STATUSES.contains(answer.status())) {
			report(where, request, answer, "status " + answer.status() + " is not one the spec names");
		}
		boolean bodiless = "HEAD".equals(request.method) || answer.status() == 204
				|| ("OPTIONS".equals(request.method) && answer.body().length == 0 && answer.status() < 300);
		if (bodiless) {
			if (answer.status() == 204 && answer.body().length > 0) {
				report(where, request, answer, "204 with a body");
			}
			return;
		}
		String contentType = answer.header("Content-Type");
		if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
			report(where, request, answer, "Content-Type is " + contentType + ", not application/json");
			return;
		}
		JsonNode json = answer.json();
		if (json == null) {
			report(where, request, answer, "the body is not JSON");
			return;
		}
		if (answer.status() >= 400 && (!json.isObject() || !json.has("error"))) {
			report(where, request, answer, "an error body without an \"error\" key");
		}
		String text = answer.text();
		if (text.contains("<html") || text.contains("Exception") || text.contains("\tat ")) {
			report(where, request, answer, "the body leaks HTML or a stack trace");
		}
	}

	/** Refused requests change nothing; nobody's key changes another company's data. */
	private void checkData(String where, Request request, Answer answer) {
		Fingerprint now = fingerprint();
		if (!now.otherData().equals(this.baseline.otherData())) {
			report(where, request, answer, "the OTHER company's data changed");
		}
		boolean refused = answer.status() >= 400 || answer.status() < 0;
		if (refused && !now.equals(this.baseline)) {
			report(where, request, answer, "a refused request changed data: " + this.baseline.diff(now));
		}
		this.baseline = now;
	}

	private void report(String where, Request request, Answer answer, String problem) {
		if (problem == null) {
			return;
		}
		this.violationCount++;
		// one example per kind of problem and route, except for the fixed cases, which
		// all count
		String key = where.startsWith("regressions") ? where + problem : problem.replaceAll("[0-9]", "#") + " @ "
				+ request.method + " " + request.target.replaceAll("[?].*", "").replaceAll("[0-9a-f-]{36}", "{id}");
		String shownKey = key.length() > 300 ? key.substring(0, 300) : key;
		this.violations.putIfAbsent(shownKey,
				where + ": " + problem + "\n  > " + request.describe() + "\n  < " + answer.describe());
	}

	private record Fingerprint(String ownData, String ownKeys, String otherData, String global) {

		String diff(Fingerprint after) {
			List<String> changed = new ArrayList<>();
			String[] names = { "contacts", "lists", "list_members", "journeys", "enrollments" };
			String[] before = this.ownData.split("/");
			String[] now = after.ownData.split("/");
			for (int i = 0; i < names.length; i++) {
				if (!before[i].equals(now[i])) {
					changed.add(names[i] + " " + before[i].replaceAll(":.*", "") + "->" + now[i].replaceAll(":.*", ""));
				}
			}
			if (!this.ownKeys.equals(after.ownKeys)) {
				changed.add("api_keys");
			}
			if (!this.global.equals(after.global)) {
				changed.add("companies/keys " + this.global + "->" + after.global);
			}
			return String.join(", ", changed);
		}

	}

	private static final String TABLE_SQL = "(select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by %s)), '-') from %s t where t.company_id = ?)";

	private static final String DATA_SQL = String.join(" || '/' || ", TABLE_SQL.formatted("t.id", "contacts"),
			TABLE_SQL.formatted("t.id", "lists"), TABLE_SQL.formatted("t.list_id, t.contact_id", "list_members"),
			TABLE_SQL.formatted("t.id", "journeys"), TABLE_SQL.formatted("t.id", "enrollments"));

	private static final String FINGERPRINT_SQL = "select " + DATA_SQL + ", " + TABLE_SQL.formatted("t.id", "api_keys")
			+ ", " + DATA_SQL + ", (select count(*) from companies) || '/' || (select count(*) from api_keys)"
			+ " || '/' || (select count(*) from api_keys where revoked_at is not null)";

	private Fingerprint fingerprint() {
		try {
			UUID own = UUID.fromString(this.world.a.companyId());
			UUID other = UUID.fromString(this.world.b.companyId());
			for (int i = 1; i <= 5; i++) {
				this.fingerprintQuery.setObject(i, own);
			}
			this.fingerprintQuery.setObject(6, own);
			for (int i = 7; i <= 11; i++) {
				this.fingerprintQuery.setObject(i, other);
			}
			try (ResultSet rs = this.fingerprintQuery.executeQuery()) {
				rs.next();
				return new Fingerprint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The world: two companies with data, and a third one whose keys may be revoked
	// ---------------------------------------------------------------------------------------------

	private final class World {

		Tenant a;

		Tenant b;

		final List<String> activeEmails = new ArrayList<>();

		final List<String> inactiveEmails = List.of("sleepy1@example.com", "sleepy2@example.com");

		final List<String> listEmails = List.of("team@lists.example", "sales@lists.example", "empty@lists.example");

		final String duplicateListEmail = "dup@lists.example";

		final List<String> contactIds = new ArrayList<>();

		final List<String> listIds = new ArrayList<>();

		final Map<String, String> journeys = new LinkedHashMap<>();

		final List<String> otherContactIds = new ArrayList<>();

		final List<String> otherListIds = new ArrayList<>();

		final List<String> otherJourneyIds = new ArrayList<>();

		/** The journey the company's enrollments are in. */
		String enrolledJourney;

		final List<String> enrollmentIds = new ArrayList<>();

		final List<String> otherEnrollmentIds = new ArrayList<>();

		final List<String> sacrificialKeyIds = new ArrayList<>();

		String otherKeyId;

		String thirdCompanyId;

		String revokedToken;

		String realCursor;

		int unique;

		void build() {
			this.a = newTenant();
			this.b = newTenant();
			for (int i = 0; i < 12; i++) {
				this.activeEmails.add("person" + i + "@example.com");
			}
			this.activeEmails.add("zo\u00eb@ex\u00e4mple.com");
			contacts(this.a, "active", this.activeEmails.toArray(String[]::new));
			contacts(this.a, "inactive", this.inactiveEmails.toArray(String[]::new));
			this.listIds.add(list(this.a, "team@lists.example", "person0@example.com", "person1@example.com",
					"person2@example.com", "sleepy1@example.com"));
			this.listIds.add(list(this.a, "sales@lists.example", "person3@example.com", "person4@example.com"));
			this.listIds.add(list(this.a, "empty@lists.example"));
			this.listIds.add(list(this.a, this.duplicateListEmail, "person5@example.com"));
			this.listIds.add(list(this.a, this.duplicateListEmail, "person6@example.com"));
			for (String state : List.of("on", "on", "draft", "off", "archived")) {
				this.journeys.put(journey(this.a, state), state);
			}
			String on = this.journeys.keySet().iterator().next();
			http.post("/v1/journeys/" + on + "/enroll", this.a.token(),
					"{\"contact_email_addresses\": [\"person0@example.com\", \"person1@example.com\", \"person2@example.com\"]}")
				.hasStatus(200);
			http.post("/v1/journeys/" + on + "/complete", this.a.token(),
					"{\"contact_email_addresses\": [\"person0@example.com\"]}")
				.hasStatus(200);
			for (JsonNode contact : walk("/v1/contacts?limit=100", this.a.token())) {
				this.contactIds.add(contact.get("id").asString());
			}
			this.enrolledJourney = on;
			for (JsonNode enrollment : walk("/v1/journeys/" + on + "/enrollments", this.a.token())) {
				this.enrollmentIds.add(enrollment.get("id").asString());
			}
			// the company's own enrollment, but in another journey: not found under this
			// one
			String secondOn = journeyIds("on").get(1);
			http.post("/v1/journeys/" + secondOn + "/enroll", this.a.token(),
					"{\"contact_email_addresses\": [\"person3@example.com\"]}")
				.hasStatus(200);
			walk("/v1/journeys/" + secondOn + "/enrollments", this.a.token())
				.forEach(enrollment -> this.otherEnrollmentIds.add(enrollment.get("id").asString()));
			JsonNode page = http.get("/v1/contacts?limit=2", this.a.token()).hasStatus(200).json();
			this.realCursor = queryOf(page.get("next").asString()).get("cursor");

			contacts(this.b, "active", "person0@example.com", "b-only@example.com");
			this.otherListIds.add(list(this.b, "team@lists.example", "person0@example.com"));
			String otherJourney = journey(this.b, "on");
			this.otherJourneyIds.add(otherJourney);
			this.otherJourneyIds.add(journey(this.b, "draft"));
			http.post("/v1/journeys/" + otherJourney + "/enroll", this.b.token(),
					"{\"contact_email_addresses\": [\"person0@example.com\"]}")
				.hasStatus(200);
			for (JsonNode contact : walk("/v1/contacts", this.b.token())) {
				this.otherContactIds.add(contact.get("id").asString());
			}
			for (JsonNode enrollment : walk("/v1/journeys/" + otherJourney + "/enrollments", this.b.token())) {
				this.otherEnrollmentIds.add(enrollment.get("id").asString());
			}
			this.otherKeyId = this.b.keyId();

			Tenant third = newTenant();
			this.thirdCompanyId = third.companyId();
			this.sacrificialKeyIds.add(third.keyId());
			for (int i = 0; i < 2; i++) {
				Response key = http
					.post("/admin/v1/companies/" + third.companyId() + "/api_keys", ADMIN_TOKEN,
							"{\"name\": \"spare\"}")
					.hasStatus(201);
				this.sacrificialKeyIds.add(key.text("id"));
				if (i == 0) {
					this.revokedToken = key.text("token");
					http.delete("/admin/v1/api_keys/" + key.text("id"), ADMIN_TOKEN).hasStatus(204);
				}
			}
		}

		List<String> journeyIds(String state) {
			return this.journeys.entrySet()
				.stream()
				.filter(e -> e.getValue().equals(state))
				.map(Map.Entry::getKey)
				.toList();
		}

		List<String> ownIds(Slot slot) {
			return switch (slot) {
				case CONTACT -> this.contactIds;
				case LIST -> this.listIds;
				case JOURNEY -> List.copyOf(this.journeys.keySet());
				case ENROLLMENT -> this.enrollmentIds;
				case COMPANY -> List.of(this.a.companyId());
				case KEY -> this.sacrificialKeyIds;
				case NONE -> List.of();
			};
		}

		List<String> otherIds(Slot slot) {
			return switch (slot) {
				case CONTACT -> this.otherContactIds;
				case LIST -> this.otherListIds;
				case JOURNEY -> this.otherJourneyIds;
				case ENROLLMENT -> this.otherEnrollmentIds;
				case COMPANY, KEY, NONE -> List.of();
			};
		}

	}

	// ---------------------------------------------------------------------------------------------
	// Endpoints
	// ---------------------------------------------------------------------------------------------

	enum Slot {

		NONE(""), CONTACT("Contact not found"), LIST("List not found"), JOURNEY("Journey not found"),
		ENROLLMENT("Enrollment not found"), COMPANY("Company not found"), KEY("API key not found");

		final String notFound;

		Slot(String notFound) {
			this.notFound = notFound;
		}

	}

	enum Kind {

		NONE, CONTACT_NEW, CONTACT_PATCH, BULK, LIST_NEW, LIST_PATCH, MEMBERS, JOURNEY_NEW, JOURNEY_PATCH, TARGETS,
		COMPLETE, IMPORT, NAME

	}

	record Endpoint(String method, String template, Slot slot, Kind kind, boolean destructive) {

		boolean admin() {
			return this.template.startsWith("/admin");
		}

		String path(String id, String on) {
			return this.template.replace("{on}", on).replace("{id}", id);
		}

	}

	private static final List<Endpoint> ENDPOINTS = List.of(
			new Endpoint("POST", "/v1/contacts", Slot.NONE, Kind.CONTACT_NEW, false),
			new Endpoint("GET", "/v1/contacts", Slot.NONE, Kind.NONE, false),
			new Endpoint("GET", "/v1/contacts/{id}", Slot.CONTACT, Kind.NONE, false),
			new Endpoint("PATCH", "/v1/contacts/{id}", Slot.CONTACT, Kind.CONTACT_PATCH, false),
			new Endpoint("DELETE", "/v1/contacts/{id}", Slot.CONTACT, Kind.NONE, true),
			new Endpoint("POST", "/v1/contacts/bulk", Slot.NONE, Kind.BULK, false),
			new Endpoint("POST", "/v1/lists", Slot.NONE, Kind.LIST_NEW, false),
			new Endpoint("GET", "/v1/lists", Slot.NONE, Kind.NONE, false),
			new Endpoint("GET", "/v1/lists/{id}", Slot.LIST, Kind.NONE, false),
			new Endpoint("PATCH", "/v1/lists/{id}", Slot.LIST, Kind.LIST_PATCH, false),
			new Endpoint("DELETE", "/v1/lists/{id}", Slot.LIST, Kind.NONE, true),
			new Endpoint("POST", "/v1/lists/{id}/members", Slot.LIST, Kind.MEMBERS, false),
			new Endpoint("DELETE", "/v1/lists/{id}/members", Slot.LIST, Kind.MEMBERS, false),
			new Endpoint("GET", "/v1/lists/{id}/members", Slot.LIST, Kind.NONE, false),
			new Endpoint("POST", "/v1/journeys", Slot.NONE, Kind.JOURNEY_NEW, false),
			new Endpoint("GET", "/v1/journeys", Slot.NONE, Kind.NONE, false),
			new Endpoint("GET", "/v1/journeys/{id}", Slot.JOURNEY, Kind.NONE, false),
			new Endpoint("PATCH", "/v1/journeys/{id}", Slot.JOURNEY, Kind.JOURNEY_PATCH, false),
			// twice: the endpoint of the contract gets twice the share
			new Endpoint("POST", "/v1/journeys/{id}/enroll", Slot.JOURNEY, Kind.TARGETS, false),
			new Endpoint("POST", "/v1/journeys/{id}/enroll", Slot.JOURNEY, Kind.TARGETS, false),
			new Endpoint("GET", "/v1/journeys/{id}/enrollments", Slot.JOURNEY, Kind.NONE, false),
			new Endpoint("POST", "/v1/journeys/{id}/complete", Slot.JOURNEY, Kind.COMPLETE, false),
			new Endpoint("POST", "/v1/journeys/{id}/enrollments/import", Slot.JOURNEY, Kind.IMPORT, false),
			new Endpoint("POST", "/v1/journeys/{id}/unenroll", Slot.JOURNEY, Kind.TARGETS, false),
			new Endpoint("POST", "/v1/journeys/{id}/webhook_secret/rotate", Slot.JOURNEY, Kind.NONE, false),
			// the enrollment is the odd id; the journey ({on}) is the company's own
			new Endpoint("GET", "/v1/journeys/{on}/enrollments/{id}", Slot.ENROLLMENT, Kind.NONE, false),
			new Endpoint("POST", "/v1/journeys/{on}/enrollments/{id}/retry", Slot.ENROLLMENT, Kind.NONE, false),
			new Endpoint("POST", "/v1/journeys/{id}/enrollments/retry", Slot.JOURNEY, Kind.NONE, false),
			new Endpoint("POST", "/admin/v1/companies", Slot.NONE, Kind.NAME, false),
			new Endpoint("GET", "/admin/v1/companies/{id}", Slot.COMPANY, Kind.NONE, false),
			new Endpoint("POST", "/admin/v1/companies/{id}/api_keys", Slot.COMPANY, Kind.NAME, false),
			new Endpoint("GET", "/admin/v1/companies/{id}/api_keys", Slot.COMPANY, Kind.NONE, false),
			new Endpoint("DELETE", "/admin/v1/api_keys/{id}", Slot.KEY, Kind.NONE, true));

	private static final List<String> ODD_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
			"TRACE", "FOO", "PROPFIND", "get");

	private String auth(Endpoint endpoint) {
		return auth(endpoint.admin());
	}

	private String auth(boolean admin) {
		return "Bearer " + (admin ? ADMIN_TOKEN : this.world.a.token());
	}

	private String ownId(Gen g, Slot slot) {
		if (slot == Slot.NONE) {
			return "";
		}
		if (slot == Slot.JOURNEY) {
			return g.chance(0.6) ? g.pick(this.world.journeyIds("on"))
					: g.pick(List.copyOf(this.world.journeys.keySet()));
		}
		if (slot == Slot.COMPANY && g.chance(0.3)) {
			return g.chance(0.5) ? this.world.b.companyId() : this.world.thirdCompanyId;
		}
		return g.pick(this.world.ownIds(slot));
	}

	/** A well-formed id that names nothing of this type in the caller's company. */
	private String plainForeignId(Gen g, Slot slot) {
		List<String> foreign = new ArrayList<>(this.world.otherIds(slot));
		foreign.add(UUID.randomUUID().toString());
		if (slot == Slot.CONTACT || slot == Slot.LIST) {
			foreign.add(g.pick(List.copyOf(this.world.journeys.keySet())));
		}
		if (slot == Slot.ENROLLMENT) {
			foreign.add(g.pick(this.world.contactIds));
		}
		return g.pick(foreign);
	}

	/** An id that names nothing of this type in the caller's company. */
	private String hostileId(Gen g, Slot slot) {
		if (slot == Slot.NONE) {
			return "";
		}
		List<String> foreign = new ArrayList<>(this.world.otherIds(slot));
		for (Slot other : List.of(Slot.CONTACT, Slot.LIST, Slot.JOURNEY)) {
			if (other != slot) {
				foreign.addAll(this.world.ownIds(other));
			}
		}
		if (slot == Slot.KEY) {
			foreign.add(this.world.a.companyId());
		}
		if (slot == Slot.COMPANY) {
			foreign.add(this.world.a.keyId());
		}
		String someForeign = g.pick(foreign);
		return switch (g.between(0, 25)) {
			case 0, 1, 2 -> someForeign;
			case 3 -> someForeign.toUpperCase(Locale.ROOT);
			case 4 -> UUID.randomUUID().toString();
			case 5 -> g.pick(List.of("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
					"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"));
			case 6 -> someForeign + g.pick(List.of("x", "%20", "%00", "%0A", "%0D%0A", "%09", ";x=1", "%3B", ".json",
					"%2F", "%E2%80%8B", "%C2%A0", "%FF"));
			case 7 -> g.pick(List.of("%20", "%09", "%0A", "%00", "%0D%0A")) + someForeign;
			case 8 -> "%7B" + someForeign + "%7D";
			case 9 -> someForeign.replace("-", "");
			case 10 ->
				g.pick(List.of("%00", "%ZZ", "%", "%2", "%u0041", "%2F", "%2f%2f", "%5C", "%25", "%25%32%46", "%C0%AF",
						"%C0%80", "%FF%FE", "%ED%A0%80", "%F4%90%80%80", "%E2%80%AE", "%F0%9F%98%80", "%EF%BB%BF"));
			case 11 ->
				g.pick(List.of("..", ".", "...", "%2e%2e", "%2E", "..%2F..%2Fadmin", "..;", "..%3B", "%2e%2e%2f"));
			case 12 -> "a".repeat(g.between(200, 6000));
			case 13 -> someForeign.repeat(g.between(2, 100));
			case 14 -> shortEnough(encodePath(g.hostileText(g.between(1, 30))));
			case 15 -> encodePath(
					g.pick(List.of("\u202eevil", "\u200b", "\ufeff" + someForeign, "\u0130", "\u00df", "\ud83d\ude00",
							"\u65e5\u672c", "\u0645\u0631\u062d\u0628\u0627", someForeign.replace('a', '\u0430'))));
			case 16 -> g.pick(List.of("0", "-1", "99999999999999999999", "1e400", "null", "undefined", "true", "NaN",
					"%5B%5D", "%7B%7D", "''", "%27%20OR%201%3D1%20--", "1%3BDROP%20TABLE%20contacts"));
			case 17 -> "%41".repeat(g.between(10, 1500));
			case 18 -> encodePath("\u00e9".repeat(g.between(10, 900)));
			case 19 -> g.pick(List.of(";", ";a=b", "%3B", ";jsessionid=1"));
			case 20 -> someForeign + "/" + g.pick(List.of("", "x", "..", "%2e%2e"));
			case 21 -> "..;/..;/" + g.pick(List.of("admin/v1/companies/" + this.world.b.companyId(), "v1/contacts",
					"admin/v1/api_keys/" + this.world.sacrificialKeyIds.get(2)));
			case 22 -> "%2e%2e/%2e%2e/" + g.pick(List.of("admin/v1/companies", "v1/contacts"));
			case 23 -> someForeign.substring(0, g.between(1, someForeign.length()));
			case 24 -> rawUtf8(g.pick(List.of("\u00fc", "\u202e", "\ud83d\ude00")));
			default -> someForeign + "-" + someForeign;
		};
	}

	// ---------------------------------------------------------------------------------------------
	// Bodies
	// ---------------------------------------------------------------------------------------------

	/** Keeps a path segment within Tomcat's 8 KiB for the request line and headers. */
	private static String shortEnough(String segment) {
		return segment.length() <= 3000 ? segment : segment.substring(0, 3000).replaceAll("%[0-9A-F]?$", "");
	}

	private byte[] hostileBody(Gen g, Kind kind) {
		int shape = g.between(0, 99);
		if (shape < 6) {
			return null;
		}
		if (shape < 16) {
			return utf8(g.pick(List.of("", " ", "\n", "null", "true", "false", "0", "-1", "1e400",
					"99999999999999999999", "\"text\"", "\"\\u0000\"", "[]", "[{}]", "[1,\"a\",null,{},[]]", "{", "}",
					"{\"a\"", "{\"a\":", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{'a': 1}", "{a: 1}", "{} {}", "{}x", "{}]",
					"[}", "/* c */ {}", "// c\n{}", "\ufeff{}", "{\"a\":1}\u0000", "NaN", "{\"a\": NaN}",
					"{\"a\": Infinity}", "{\"a\": 0x10}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": +1}",
					"{\"a\": \"\\x41\"}", "{\"a\": \"\\u12\"}", "{\"a\": \"\u0001\"}", "{\"a\": \"tab\there\"}",
					"{\"a\": tru}", "{\"a\": nul}", "\"" + "x".repeat(5000) + "\"", "[" + "1,".repeat(5000) + "1]")));
		}
		if (shape < 24) {
			return utf8(g.deep(kind == Kind.NONE ? "x" : g.pick(fieldNames(kind))));
		}
		if (shape < 28) {
			return utf8(hugeBody(g, kind));
		}
		String json = g.chance(0.8) ? objectBody(g, kind, 0.35) : g.jsonValue(0);
		byte[] bytes = utf8(json);
		if (g.chance(0.05)) {
			bytes = g.corruptUtf8(bytes);
		}
		return bytes;
	}

	/**
	 * Just over (or under) the body limit of the endpoint, or a huge string in a field.
	 */
	private String hugeBody(Gen g, Kind kind) {
		boolean bulk = kind == Kind.BULK || kind == Kind.MEMBERS || kind == Kind.IMPORT;
		int size = bulk ? g.between(MIB, MIB + MIB / 2)
				: g.chance(0.7) ? g.between(MIB + 1, MIB + MIB / 2) : g.between(MIB - 200, MIB);
		String field = kind == Kind.NONE ? "padding" : g.pick(fieldNames(kind));
		String filler = g.chance(0.5) ? "a" : g.pick(List.of("\\u0000", "\u00e9", "\ud83d\ude00", "\\ud800", " "));
		int repeat = Math.max(1, (size - 40) / utf8(filler).length);
		if (g.chance(0.3)) {
			return "{\"" + field + "\": [" + ("\"" + filler + "\",").repeat(Math.max(1, repeat / 4)) + "\"x\"]}";
		}
		return "{\"" + field + "\": \"" + filler.repeat(repeat) + "\"}";
	}

	private static List<String> fieldNames(Kind kind) {
		return switch (kind) {
			case CONTACT_NEW -> List.of("email_address", "first_name", "last_name", "status");
			case CONTACT_PATCH -> List.of("first_name", "last_name", "status");
			case BULK -> List.of("contacts");
			case LIST_NEW, LIST_PATCH -> List.of("name", "email_address");
			case MEMBERS, COMPLETE -> List.of("contact_email_addresses");
			case JOURNEY_NEW, NAME -> List.of("name");
			case JOURNEY_PATCH -> List.of("name", "state");
			case TARGETS -> List.of("contact_email_addresses", "list_email_addresses");
			case IMPORT -> List.of("enrollments");
			case NONE -> List.of("x");
		};
	}

	/** A good value for a field of an endpoint, as JSON source. */
	private String goodValue(Gen g, String field) {
		return switch (field) {
			case "email_address" -> g.chance(0.5) ? quote(newEmail(g)) : quote(g.pick(this.world.activeEmails));
			case "first_name", "last_name", "name" ->
				quote(g.pick(List.of("Ada", "Zo\u00eb", "\u65e5\u672c", "  padded  ", "O'Brien", "x".repeat(255),
						"\u0645\u0631\u062d\u0628\u0627", "Name " + g.between(0, 99))));
			case "status" -> quote(g.pick(List.of("active", "inactive")));
			case "state" -> quote(g.pick(List.of("on", "off", "draft", "on", "off")));
			case "contact_email_addresses" -> stringArray(g.between(1, 6), () -> someContactEmail(g));
			case "list_email_addresses" -> stringArray(g.between(1, 2), () -> g.chance(0.9)
					? g.pick(this.world.listEmails.subList(0, 2))
					: g.pick(List.of(this.world.duplicateListEmail, "nobody@lists.example", " TEAM@LISTS.EXAMPLE ")));
			case "contacts" -> array(g.between(1, 5), () -> goodContactObject(g));
			case "enrollments" -> array(g.between(1, 4), () -> goodImportRow(g));
			default -> g.jsonValue(1);
		};
	}

	/**
	 * A hostile value for a field: anything at all, or its own shape with one poisoned
	 * part.
	 */
	private String hostileValue(Gen g, String field) {
		if (g.chance(0.5)) {
			return g.jsonValue(1);
		}
		return switch (field) {
			case "contact_email_addresses", "list_email_addresses" ->
				poisonedArray(g, g.between(0, 6), () -> quote(someContactEmail(g)));
			case "contacts" -> poisonedObjects(g, g.between(1, 5), () -> goodContactObject(g),
					List.of("email_address", "first_name", "last_name", "status"));
			case "enrollments" -> poisonedObjects(g, g.between(1, 4), () -> goodImportRow(g),
					List.of("email_address", "enrolled_at", "completed_at", "exited_at"));
			case "enrolled_at", "completed_at", "exited_at" ->
				g.chance(0.7) ? quote(g.pick(ODD_TIMES)) : g.jsonValue(1);
			default -> g.chance(0.6) ? g.jsonString() : g.jsonValue(1);
		};
	}

	private String objectBody(Gen g, Kind kind, double hostility) {
		StringBuilder json = new StringBuilder("{");
		List<String> parts = new ArrayList<>();
		for (String field : fieldNames(kind)) {
			if (g.chance(0.25)) {
				continue;
			}
			String value = g.chance(hostility) ? hostileValue(g, field) : goodValue(g, field);
			parts.add(quote(field) + ": " + value);
			if (g.chance(0.05)) {
				parts.add(quote(field) + ": " + (g.chance(0.5) ? hostileValue(g, field) : goodValue(g, field)));
			}
		}
		int extra = g.chance(0.3) ? g.between(1, 4) : 0;
		for (int i = 0; i < extra; i++) {
			String key = g.chance(0.5)
					? g.pick(List.of("", "__proto__", "constructor", "id", "company_id", "object", "created_at",
							"\\u0000", "EMAIL_ADDRESS", "email_address ", "x".repeat(60_000)))
					: g.hostileTextJson(g.between(1, 20));
			parts.add(quote(key) + ": " + g.jsonValue(1));
		}
		java.util.Collections.shuffle(parts, g.random);
		json.append(String.join(g.chance(0.1) ? ",\n\t" : ", ", parts)).append('}');
		return json.toString();
	}

	private String goodBody(Gen g, Kind kind) {
		return kind == Kind.NONE ? "{}" : objectBody(g, kind, 0);
	}

	/**
	 * A body that passes every field check of its endpoint, so that only the id decides.
	 */
	private static String minimalBody(Kind kind) {
		return switch (kind) {
			case CONTACT_PATCH, LIST_PATCH, JOURNEY_PATCH, NONE -> "{}";
			case MEMBERS, COMPLETE, TARGETS -> "{\"contact_email_addresses\": [\"person1@example.com\"]}";
			case IMPORT -> "{\"enrollments\": []}";
			case NAME, JOURNEY_NEW, LIST_NEW -> "{\"name\": \"Key\"}";
			case CONTACT_NEW -> "{\"email_address\": \"x@y.z\"}";
			case BULK -> "{\"contacts\": []}";
		};
	}

	private String someContactEmail(Gen g) {
		return switch (g.between(0, 9)) {
			case 0 -> g.pick(this.world.inactiveEmails);
			case 1 -> "unknown" + g.between(0, 9) + "@example.com";
			case 2 -> "  " + g.pick(this.world.activeEmails).toUpperCase(Locale.ROOT) + "\\t";
			case 3 -> "person0@example.com"; // the one who completed the journey
			default -> g.pick(this.world.activeEmails);
		};
	}

	private String newEmail(Gen g) {
		return "new" + (this.world.unique++) + "-" + g.between(0, 9999) + "@example.com";
	}

	private String goodContactObject(Gen g) {
		StringBuilder item = new StringBuilder("{\"email_address\": ")
			.append(quote(g.chance(0.5) ? newEmail(g) : g.pick(this.world.activeEmails)));
		if (g.chance(0.5)) {
			item.append(", \"first_name\": ").append(goodValue(g, "first_name"));
		}
		if (g.chance(0.3)) {
			item.append(", \"status\": ").append(goodValue(g, "status"));
		}
		return item.append('}').toString();
	}

	private String goodImportRow(Gen g) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Instant start = now.minus(g.between(2, 400), ChronoUnit.DAYS);
		StringBuilder row = new StringBuilder("{\"email_address\": ").append(quote(someContactEmail(g)))
			.append(", \"enrolled_at\": ")
			.append(quote(start.toString()));
		int end = g.between(0, 2);
		if (end == 1) {
			row.append(", \"completed_at\": ").append(quote(start.plus(1, ChronoUnit.DAYS).toString()));
		}
		else if (end == 2) {
			row.append(", \"exited_at\": ").append(quote(start.plus(1, ChronoUnit.HOURS).toString()));
		}
		return row.append('}').toString();
	}

	private static final List<String> ODD_TIMES = List.of("2020-13-01T00:00:00Z", "2020-01-01T00:00:00", "2020-01-01",
			"2020-01-01T25:00:00Z", "2020-02-30T00:00:00Z", "2020-01-01T00:00:00+25:00", "2020-01-01T00:00:00+18:00",
			"2020-01-01T00:00:00-18:00", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
			"-4712-01-01T00:00:00Z", "-4713-11-24T00:00:00Z", "-4714-11-24T00:00:00Z", "-290000-01-01T00:00:00Z",
			"-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "+294277-01-01T00:00:00Z",
			"+10000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
			"2020-01-01T00:00:00.123456789Z", "2020-01-01T00:00:00Z[UTC]", "2020-W01-1", "now", "yesterday", "", " ",
			"\\u0000", "1577836800", "2020-01-01T00:00:00ZZ");

	/**
	 * Times that can never be imported: unreadable, in the future, or before anything
	 * PostgreSQL holds.
	 */
	private static final List<String> BAD_TIMES = List.of("2020-13-01T00:00:00Z", "2020-01-01T00:00:00", "2020-01-01",
			"2020-01-01T25:00:00Z", "2020-02-30T00:00:00Z", "2020-01-01T00:00:00+25:00", "-4714-11-24T00:00:00Z",
			"-290000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
			"+294277-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "2020-01-01T00:00:00Z[UTC]",
			"2020-W01-1", "now", "", " ", "\\u0000", "1577836800", "2020-01-01T00:00:00ZZ");

	/**
	 * Good items with one item that is no string: a number, null, an object, an array.
	 */
	private static String withNonString(Gen g, int goodItems, Supplier<String> good) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < goodItems; i++) {
			items.add(good.get());
		}
		items.add(g.between(0, items.size()), g.pick(List.of("null", "1", "1e400", "99999999999999999999", "true", "{}",
				"[]", "[\"a@b.c\"]", "{\"email\": \"a@b.c\"}", "-0", g.deepValue())));
		return "[" + String.join(", ", items) + "]";
	}

	private static String stringArray(int size, Supplier<String> item) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			items.add(quote(item.get()));
		}
		return "[" + String.join(", ", items) + "]";
	}

	private static String array(int size, Supplier<String> item) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			items.add(item.get());
		}
		return "[" + String.join(", ", items) + "]";
	}

	/** Good items (already JSON) with one hostile item at a random place. */
	private static String poisonedArray(Gen g, int goodItems, Supplier<String> good) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < goodItems; i++) {
			items.add(good.get());
		}
		items.add(g.between(0, items.size()),
				g.chance(0.3) ? g.jsonString() : g.pick(List.of("null", "1", "1e400", "99999999999999999999", "true",
						"{}", "[]", "[\"a@b.c\"]", "{\"email\": \"a@b.c\"}", "-0", g.jsonValue(2))));
		return "[" + String.join(", ", items) + "]";
	}

	/**
	 * Good objects with one poisoned field in one of them, or one item that is no object.
	 */
	private static String poisonedObjects(Gen g, int goodItems, Supplier<String> good, List<String> fields) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < goodItems; i++) {
			items.add(good.get());
		}
		String poison;
		if (g.chance(0.2)) {
			poison = g.pick(List.of("null", "1", "\"a@b.c\"", "[]", "[{}]", g.jsonValue(2)));
		}
		else {
			String field = g.pick(fields);
			String value = field.endsWith("_at") && g.chance(0.6) ? quote(g.pick(ODD_TIMES))
					: g.chance(0.5) ? g.jsonString() : g.jsonValue(2);
			poison = "{\"email_address\": \"person1@example.com\", \"enrolled_at\": \"2020-01-01T00:00:00Z\", "
					+ quote(field) + ": " + value + "}";
		}
		items.add(g.between(0, items.size()), poison);
		return "[" + String.join(", ", items) + "]";
	}

	// ---------------------------------------------------------------------------------------------
	// Poisoned requests: valid but for one part, so they must be refused whole
	// ---------------------------------------------------------------------------------------------

	private Request poisonedRequest(Gen g) {
		String on = g.pick(this.world.journeyIds("on"));
		String token = "Bearer " + this.world.a.token();
		String path;
		String body;
		switch (g.between(0, 13)) {
			case 0 -> {
				path = "/v1/contacts/bulk";
				List<String> items = new ArrayList<>();
				for (int i = 0; i < g.between(1, 30); i++) {
					items.add(goodContactObject(g));
				}
				items.add(g.between(0, items.size()),
						g.pick(List.of("{\"email_address\": \"person1@example.com\", \"status\": \"zombie\"}",
								"{\"email_address\": \"person1@example.com\", \"first_name\": " + quote("f".repeat(256))
										+ "}",
								"{\"email_address\": \"person1@example.com\", \"last_name\": 5}",
								"{\"email_address\": [\"person1@example.com\"]}", "{\"first_name\": \"No email\"}",
								"null", "\"person1@example.com\"", "[]", "{\"email_address\": "
										+ g.pick(List.of("1e400", "{}", "true", "-0", "99999999999999999999")) + "}")));
				body = "{\"contacts\": [" + String.join(", ", items) + "]}";
			}
			case 1 -> {
				path = "/v1/contacts/bulk";
				body = "{\"contacts\": [" + goodContactObject(g) + ", {\"email_address\": "
						+ quote(g.pick(List.of("no-at-sign", "a@b@c", "", "   ", "a b@c.d",
								"x".repeat(300) + "@example.com", "person1@example.com\\u0000")))
						+ "}, " + goodContactObject(g) + "]}";
			}
			case 2 -> {
				path = "/v1/journeys/" + on + "/enroll";
				body = "{\"contact_email_addresses\": "
						+ stringArray(g.between(1, 5), () -> g.pick(this.world.activeEmails))
						+ ", \"list_email_addresses\": [\"team@lists.example\", "
						+ quote(g.pick(List.of("nobody@lists.example", this.world.duplicateListEmail, "", "x"))) + "]}";
				if (body.contains("\"\"]") || body.contains("\"x\"]")) {
					body = body.replace("\"\"]", "\"nobody@lists.example\"]").replace("\"x\"]", "\"x@nowhere\"]");
				}
			}
			case 3 -> {
				path = "/v1/journeys/" + on + "/enroll";
				body = "{" + quote(g.pick(List.of("contact_email_addresses", "list_email_addresses"))) + ": "
						+ withNonString(g, g.between(1, 5), () -> quote(g.pick(this.world.activeEmails))) + "}";
			}
			case 4 -> {
				path = "/v1/journeys/" + on + "/enroll";
				StringBuilder many = new StringBuilder();
				for (int i = 0; i < 1001; i++) {
					many.append(i == 0 ? "" : ", ")
						.append(quote(this.world.activeEmails.get(i % this.world.activeEmails.size())));
				}
				body = "{\"contact_email_addresses\": [" + many + "]" + (g.chance(0.5) ? ""
						: ", \"list_email_addresses\": " + stringArray(101, () -> "team@lists.example")) + "}";
			}
			case 5 -> {
				String notOn = g
					.pick(List.of(this.world.journeyIds("draft").get(0), this.world.journeyIds("off").get(0),
							this.world.journeyIds("archived").get(0), this.world.otherJourneyIds.get(0)));
				path = "/v1/journeys/" + notOn + "/enroll";
				body = "{\"contact_email_addresses\": " + stringArray(3, () -> g.pick(this.world.activeEmails))
						+ ", \"list_email_addresses\": [\"sales@lists.example\"]}";
			}
			case 6 -> {
				path = "/v1/journeys/" + on + "/unenroll";
				body = "{\"contact_email_addresses\": [\"person1@example.com\", \"person2@example.com\"], "
						+ "\"list_email_addresses\": [\"team@lists.example\", \"nobody@lists.example\"]}";
			}
			case 7 -> {
				path = "/v1/journeys/" + g.pick(List.copyOf(this.world.journeys.keySet())) + "/enrollments/import";
				String bad = g.pick(List.of(
						"{\"email_address\": \"person9@example.com\", \"enrolled_at\": \"2999-01-01T00:00:00Z\"}",
						"{\"email_address\": \"person9@example.com\", \"enrolled_at\": \"2020-01-02T00:00:00Z\", \"completed_at\": \"2020-01-01T00:00:00Z\"}",
						"{\"email_address\": \"person9@example.com\", \"enrolled_at\": \"2020-01-01T00:00:00Z\", \"completed_at\": \"2020-01-02T00:00:00Z\", \"exited_at\": \"2020-01-03T00:00:00Z\"}",
						"{\"email_address\": \"person9@example.com\", \"enrolled_at\": 1577836800}",
						"{\"email_address\": \"person9@example.com\"}", "{\"enrolled_at\": \"2020-01-01T00:00:00Z\"}",
						"{\"email_address\": \"person9@example.com\", \"enrolled_at\": " + quote(g.pick(BAD_TIMES))
								+ "}",
						"{\"email_address\": \"person9@example.com\", \"enrolled_at\": \"2020-01-01T00:00:00Z\", \"exited_at\": "
								+ quote(g.pick(BAD_TIMES)) + "}",
						"\"person9@example.com\"", "null"));
				List<String> rows = new ArrayList<>();
				for (int i = 0; i < g.between(1, 6); i++) {
					rows.add(goodImportRow(g));
				}
				rows.add(g.between(0, rows.size()), bad);
				body = "{\"enrollments\": [" + String.join(", ", rows) + "]}";
			}
			case 8 -> {
				path = "/v1/lists/" + g.pick(this.world.listIds) + "/members";
				body = "{\"contact_email_addresses\": "
						+ withNonString(g, g.between(1, 5), () -> quote(g.pick(this.world.activeEmails))) + "}";
			}
			case 9 -> {
				path = "/v1/journeys/" + on + "/complete";
				body = "{\"contact_email_addresses\": [\"person1@example.com\", \"person2@example.com\", "
						+ g.pick(List.of("null", "1", "{}", "[]", "true")) + "]}";
			}
			case 10 -> {
				String journey = g.pick(List.copyOf(this.world.journeys.keySet()));
				String state = this.world.journeys.get(journey);
				String impossible = switch (state) {
					case "draft" -> g.pick(List.of("off", "bogus"));
					case "archived" -> g.pick(List.of("on", "off", "draft"));
					default -> g.pick(List.of("draft", "bogus", "ON"));
				};
				return request("PATCH", "/v1/journeys/" + journey, token,
						"{\"name\": \"Renamed " + g.between(0, 999) + "\", \"state\": " + quote(impossible) + "}");
			}
			case 11 -> {
				return request("PATCH", "/v1/contacts/" + g.pick(this.world.contactIds), token,
						"{\"first_name\": \"Changed\", \"last_name\": \"Too\", "
								+ g.pick(List.of("\"status\": \"zombie\"", "\"status\": 1",
										"\"last_name\": " + quote("y".repeat(256)), "\"first_name\": []"))
								+ "}");
			}
			case 12 -> {
				return request("PATCH", "/v1/lists/" + g.pick(this.world.listIds), token,
						"{\"name\": \"Changed\", " + g.pick(List.of("\"email_address\": \"invalid\"",
								"\"email_address\": 5", "\"name\": \"\"", "\"email_address\": \"\"")) + "}");
			}
			default -> {
				String taken = g.pick(this.world.activeEmails);
				return request("POST", "/v1/contacts", token,
						"{\"email_address\": "
								+ quote(g.chance(0.5) ? taken : "  " + taken.toUpperCase(Locale.ROOT) + " ")
								+ ", \"first_name\": \"Dup\"}");
			}
		}
		return request("POST", path, token, body);
	}

	private static Request request(String method, String path, String authorization, String body) {
		Request request = new Request(method, path, authorization, utf8(body), false);
		request.header("Content-Type", "application/json");
		return request;
	}

	// ---------------------------------------------------------------------------------------------
	// Headers and query strings
	// ---------------------------------------------------------------------------------------------

	private static final List<String> JSON_CONTENT_TYPES = List.of("application/json",
			"application/json; charset=utf-8", "application/json;charset=UTF-8", "APPLICATION/JSON",
			"Application/Json; Charset=\"utf-8\"", "application/json; charset=bogus",
			"application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/json; charset=",
			"application/json;;", "application/json; foo=bar", "application/problem+json", "application/vnd.api+json",
			"application/json, text/plain");

	private static final List<String> OTHER_CONTENT_TYPES = List.of("text/plain", "text/json", "application/xml",
			"text/html", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
			"multipart/form-data", "multipart/mixed; boundary=b", "application/octet-stream", "", "garbage",
			"application/", "/json", "*/*", "application/*", ";;;", "json", "application/jsonx", "image/png",
			"application/x-ndjson");

	private static final List<String> ACCEPTS = List.of("text/html", "application/xml", "*/*", "image/png", "garbage",
			"application/json;q=0", "text/plain, */*;q=0.1", "application/json", "", "application/*", "text/*;q=bogus",
			"application/problem+json", "text/event-stream");

	/** An Authorization header, often broken; null for none. */
	private String authorizationVariant(Gen g, boolean admin) {
		String token = admin ? ADMIN_TOKEN : this.world.a.token();
		String wrong = admin ? this.world.a.token() : ADMIN_TOKEN;
		return switch (g.between(0, 26)) {
			case 0 -> null;
			case 1 -> "Bearer";
			case 2 -> "Bearer ";
			case 3 -> "Basic dXNlcjpwYXNz";
			case 4 -> "Bearer " + wrong;
			case 5 -> "Bearer " + this.world.revokedToken;
			case 6 -> "Bearer jrn_" + latin1Junk(g, 43).replaceAll("[^A-Za-z0-9]", "x");
			case 7 -> "Bearer " + token + "x";
			case 8 -> "Bearer " + token.substring(0, token.length() - 1);
			case 9 -> "Bearer " + "x".repeat(g.between(100, 3000));
			case 10 -> "Bearer " + latin1Junk(g, g.between(1, 200));
			case 11 -> "bearer " + token;
			case 12 -> "BEARER  " + token;
			case 13 -> "Bearer " + token + " ";
			case 14 -> "Bearer\t" + token;
			case 15 -> "Bearer " + token + "\u00a0";
			case 16 -> "Token " + token;
			case 17 -> token;
			case 18 -> "Bearer " + token + ", Bearer " + token;
			case 19 -> "Bearer " + token.toUpperCase(Locale.ROOT);
			case 20 -> "Bearer \"" + token + "\"";
			case 21 -> "Bearer " + token.replace('_', '-');
			default -> "Bearer " + token;
		};
	}

	/** What the contract calls a good Authorization header for this area. */
	private static boolean authorizationValid(String header, String token) {
		if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return false;
		}
		return header.substring(7).strip().equals(token);
	}

	record Listing(String template, List<String> params, boolean admin) {

		String path(World world) {
			return this.template.replace("{list}", world.listIds.get(0))
				.replace("{journey}", world.journeys.keySet().iterator().next())
				.replace("{company}", world.a.companyId());
		}

	}

	private static final List<Listing> LISTINGS = List
		.of(new Listing("/v1/contacts", List.of("email_address", "status", "limit", "cursor"), false),
				new Listing("/v1/lists", List.of("email_address", "limit", "cursor"), false),
				new Listing("/v1/lists/{list}/members", List.of("limit", "cursor"), false),
				new Listing("/v1/journeys", List.of("state", "limit", "cursor"), false),
				new Listing("/v1/journeys/{journey}/enrollments", List.of("status", "email_address", "limit", "cursor"),
						false),
				new Listing("/admin/v1/companies/{company}/api_keys", List.of("limit", "cursor"), true));

	private String queryValue(Gen g, String name) {
		String raw = switch (name) {
			case "limit" -> g.pick(List.of("", "0", "1", "50", "100", "101", "-1", "+5", " 7 ", "1e3", "1.0", "1,2",
					"99999999999999999999", "2147483648", "-2147483649", "0x10", "\uff15", "\u0661\u0662", "null",
					"NaN", "\u0000", "5\u0000", "1".repeat(g.between(20, 3000)), "true", "[]"));
			case "cursor" -> oddCursor(g);
			case "status" -> g.pick(List.of("active", "inactive", "completed", "exited", "ACTIVE", "", " active",
					"\u0000", "on", g.hostileText(g.between(1, 10))));
			case "state" -> g.pick(List.of("on", "off", "draft", "archived", "ON", "", "active", "\u0000", "on\u0000",
					g.hostileText(g.between(1, 10))));
			case "email_address" ->
				g.pick(List.of(g.pick(this.world.activeEmails), " PERSON1@EXAMPLE.COM ", "team@lists.example", "",
						"\u0000", "person1@example.com\u0000", "\ud800", "\u202e@x", "x".repeat(g.between(255, 3000)),
						"%", "*", "person%@example.com", "' OR 1=1 --", "\\", g.hostileText(g.between(1, 40))));
			default -> g.hostileText(g.between(0, 20));
		};
		String encoded = encodeQuery(raw);
		// within Tomcat's 8 KiB for the request line and headers
		return encoded.length() <= 2000 ? encoded : encodeQuery(raw.substring(0, 200));
	}

	private static final List<String> UNDECODABLE = List.of("%", "%Z", "%zz", "%u0041", "%C0%AF", "%FF", "%ED%A0%80");

	private String oddCursor(Gen g) {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String id = UUID.randomUUID().toString();
		String real = this.world.realCursor;
		return switch (g.between(0, 16)) {
			case 0 -> real;
			case 1 -> real + "=";
			case 2 -> real.substring(0, g.between(0, real.length()));
			case 3 -> new StringBuilder(real).reverse().toString();
			case 4 -> b64.encodeToString(utf8(g
				.pick(List.of("31556889864403199.0." + id, "-31557014167219200.0." + id, "9223372036854775807.0." + id,
						"99999999999.0." + id, "-99999999999.0." + id, "253402300800.0." + id, "9224318016000.0." + id,
						"-210866803200.0." + id, "-210898425600.0." + id))));
			case 5 -> b64.encodeToString(utf8(g.pick(List.of("0.-1." + id, "0.99999999999999999999." + id,
					"0.999999999." + id, "1.1000000000." + id, "1.1.not-a-uuid", "1.1", "1", "", "..",
					"1.1." + id + ".x", "1.1." + id.toUpperCase(Locale.ROOT), "\u0000.\u0000." + id, " 1. 1." + id))));
			case 6 -> Base64.getEncoder().encodeToString(utf8("1.1." + id));
			case 7 -> g.hostileText(g.between(1, 50));
			case 8 -> "x".repeat(g.between(1000, 5000));
			case 9 -> "\u0000";
			case 10 -> b64.encodeToString(new byte[] { (byte) 0xff, (byte) 0xfe, 0, 1, 2 });
			case 11 -> "====";
			case 12 -> real + real;
			case 13 -> "%00";
			default -> b64.encodeToString(utf8(g.between(-5, 5) + "." + g.between(-5, 5) + "." + id));
		};
	}

	private String checkPage(JsonNode page) {
		if (page == null || !page.isObject()) {
			return "a collection is an object";
		}
		if (!"array".equals(page.path("object").asString(null))) {
			return "a collection has object: array";
		}
		JsonNode data = page.get("data");
		int limit = page.path("limit").asInt(-1);
		if (data == null || !data.isArray() || page.path("size").asInt(-1) != data.size()) {
			return "size must be the number of rows";
		}
		if (limit < 1 || limit > 100 || data.size() > limit) {
			return "limit must be within 1..100 and hold the page";
		}
		if (page.path("has_more").asBoolean(false) == page.path("next").isNull()) {
			return "next must be null exactly on the last page";
		}
		return null;
	}

	private static String latin1Junk(Gen g, int length) {
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			char c = (char) g.between(0x21, 0xff);
			out.append(c == 0x7f ? 'x' : c);
		}
		return out.toString();
	}

	// ---------------------------------------------------------------------------------------------
	// The generator of hostile JSON
	// ---------------------------------------------------------------------------------------------

	static final class Gen {

		final Random random;

		Gen(Random random) {
			this.random = random;
		}

		int between(int min, int max) {
			return min + this.random.nextInt(max - min + 1);
		}

		boolean chance(double p) {
			return this.random.nextDouble() < p;
		}

		<T> T pick(List<T> values) {
			return values.get(this.random.nextInt(values.size()));
		}

		/** Pieces of hostile text, each as JSON string source (escapes included). */
		static final List<String> PIECES = List.of("a", "Zo\u00eb", "\\u0000", "\\u0000\\u0000", "\\u0001", "\\u001f",
				"\\u007f", "\\ud800", "\\udfff", "\\udbff\\udfff", "\\ud83d\\ude00", "\ud83d\ude00", "\\u202e",
				"\u202e", "\\u202d", "\\u200f", "\\u200b", "\u200b", "\\u200d", "\\ufeff", "\\u00a0", "\\u2028",
				"\\u2029", "\\u3000", "e\\u0301", "\u0130", "\u00df", "\ufb03", "\u03a3", "\uff20", "@", " ", "\\t",
				"\\n", "\\r", "\\\"", "\\\\", "\\/", "<script>alert(1)</script>", "' OR '1'='1", "%00", "%s%n",
				"${jndi:ldap://x/a}", "{{7*7}}", "../../etc/passwd", "null", "NaN", "\\uffff", "\\ufffe",
				"\u0645\u0631\u062d\u0628\u0627", "\u05e9\u05dc\u05d5\u05dd", "\u65e5\u672c\u8a9e", "\\b\\f",
				"@example.com", "person1@example.com", "\\u0085", "\u2800", "\ue000", "\udb40\udc01");

		String hostileTextJson(int pieces) {
			StringBuilder out = new StringBuilder();
			for (int i = 0; i < pieces; i++) {
				out.append(pick(PIECES));
			}
			if (chance(0.03)) {
				out.append(pick(PIECES).repeat(pick(List.of(255, 256, 1001, 10_000, 100_000))));
			}
			return out.toString();
		}

		/** Hostile text as plain Java characters (for paths and queries). */
		String hostileText(int pieces) {
			String json = "\"" + hostileTextJson(pieces).replace("\\u0000\\u0000", "\\u0000") + "\"";
			try {
				return Response.JSON.readTree(json).asString();
			}
			catch (RuntimeException ex) {
				return "x";
			}
		}

		String jsonString() {
			return "\"" + hostileTextJson(between(0, 8)) + "\"";
		}

		static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "0.5", "-0.0", "1e400", "-1e400", "1e-400",
				"1E+2", "99999999999999999999", "-99999999999999999999", "9223372036854775808", "2147483648",
				"1.7976931348623157e309", "123456789012345678901234567890.123456789", "4.9e-325", "1e1000000000",
				"0.0000000000000000000000000000001", "1000");

		String number() {
			if (chance(0.03)) {
				return "1" + "0".repeat(between(990, 3000));
			}
			return pick(NUMBERS);
		}

		String jsonValue(int depth) {
			int kind = between(0, depth > 4 ? 5 : 9);
			return switch (kind) {
				case 0, 1 -> number();
				case 2 -> pick(List.of("true", "false", "null"));
				case 3, 4, 5 -> jsonString();
				case 6, 7 -> {
					List<String> items = new ArrayList<>();
					int size = between(0, 6);
					for (int i = 0; i < size; i++) {
						items.add(jsonValue(depth + 1));
					}
					yield "[" + String.join(",", items) + "]";
				}
				case 8 -> {
					List<String> items = new ArrayList<>();
					int size = between(0, 4);
					for (int i = 0; i < size; i++) {
						String key = chance(0.2) ? "a" : hostileTextJson(between(0, 3));
						items.add("\"" + key + "\":" + jsonValue(depth + 1));
					}
					if (chance(0.2) && !items.isEmpty()) {
						items.add(items.get(0));
					}
					yield "{" + String.join(",", items) + "}";
				}
				default -> chance(0.3) ? deepValue() : jsonString();
			};
		}

		/** Deeply nested arrays or objects, past and short of any parser limit. */
		String deepValue() {
			int depth = pick(List.of(10, 100, 499, 501, 999, 1001, 5000, 50_000));
			if (chance(0.5)) {
				return "[".repeat(depth) + "1" + "]".repeat(depth);
			}
			return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
		}

		String deep(String field) {
			String value = deepValue();
			if (chance(0.3)) {
				return value;
			}
			if (chance(0.1)) {
				return "[".repeat(between(1, 100_000)); // never closed
			}
			return "{\"" + field + "\": " + value + "}";
		}

		/** Splices invalid UTF-8 into the body, inside a string when there is one. */
		byte[] corruptUtf8(byte[] body) {
			byte[][] bad = { { (byte) 0xff }, { (byte) 0xc0, (byte) 0xaf }, { (byte) 0xed, (byte) 0xa0, (byte) 0x80 },
					{ (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, { (byte) 0xe2, (byte) 0x82 },
					{ (byte) 0x80 }, { (byte) 0xfe, (byte) 0xff } };
			byte[] splice = pick(List.of(bad));
			int at = body.length == 0 ? 0 : between(0, body.length);
			for (int i = 0; i < body.length; i++) {
				if (body[i] == '"' && chance(0.5)) {
					at = i + 1;
					break;
				}
			}
			byte[] out = new byte[body.length + splice.length];
			System.arraycopy(body, 0, out, 0, at);
			System.arraycopy(splice, 0, out, at, splice.length);
			System.arraycopy(body, at, out, at + splice.length, body.length - at);
			return out;
		}

	}

	// ---------------------------------------------------------------------------------------------
	// A raw HTTP/1.1 client: every byte of the request is ours to choose
	// ---------------------------------------------------------------------------------------------

	static final class Request {

		final String method;

		final String target;

		final List<String[]> headers = new ArrayList<>();

		final byte[] body;

		final boolean chunked;

		String hostHeader;

		Function<Answer, String> expectation;

		Request(String method, String target, String authorization, byte[] body, boolean chunked) {
			this.method = method;
			this.target = target;
			this.body = body;
			this.chunked = chunked;
			if (authorization != null) {
				header("Authorization", authorization);
			}
		}

		void header(String name, String value) {
			this.headers.add(new String[] { name, value });
		}

		int headerBytes() {
			int total = this.target.length() + 100;
			for (String[] header : this.headers) {
				total += header[0].length() + header[1].length() + 4;
			}
			return total;
		}

		void dropLargestJunk() {
			String[] largest = this.headers.stream()
				.filter(h -> h[0].startsWith("X-"))
				.max(java.util.Comparator.comparingInt(h -> h[1].length()))
				.orElseThrow();
			this.headers.remove(largest);
		}

		String first(String name) {
			for (String[] header : this.headers) {
				if (header[0].equalsIgnoreCase(name)) {
					return header[1];
				}
			}
			return null;
		}

		String describe() {
			StringBuilder out = new StringBuilder(this.method).append(' ').append(shorten(this.target, 1200));
			int many = 0;
			for (String[] header : this.headers) {
				if (header[0].startsWith("X-Many-")) {
					many++;
					continue;
				}
				out.append(" | ")
					.append(header[0])
					.append(": ")
					.append(header[0].equalsIgnoreCase("Authorization") ? shorten(header[1], 30)
							: shorten(header[1], 80));
			}
			if (many > 0) {
				out.append(" | X-Many-0..").append(many - 1).append(": v{40}");
			}
			if (this.hostHeader != null) {
				out.append(" | Host: ").append(this.hostHeader);
			}
			if (this.body != null) {
				out.append(this.chunked ? " | chunked " : " | ")
					.append(this.body.length)
					.append(" bytes: ")
					.append(shorten(new String(this.body, 0, Math.min(this.body.length, 400), StandardCharsets.UTF_8),
							300));
			}
			return out.toString();
		}

	}

	record Answer(int status, Map<String, List<String>> headers, byte[] body, String failure) {

		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return values == null || values.isEmpty() ? null : values.get(0);
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		JsonNode json() {
			try {
				return Response.JSON.readTree(this.body);
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

		String describe() {
			return this.status + " " + (this.failure != null ? this.failure
					: "Content-Type: " + header("Content-Type") + " | " + shorten(text(), 300));
		}

	}

	private Answer exchange(Request request) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
			socket.setSoTimeout(30_000);
			socket.setTcpNoDelay(true);
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			latin1(head, request.method + " " + request.target + " HTTP/1.1\r\n");
			latin1(head,
					"Host: " + (request.hostHeader != null ? request.hostHeader : "localhost:" + this.port) + "\r\n");
			latin1(head, "Connection: close\r\n");
			boolean framed = request.first("Content-Length") != null || request.first("Transfer-Encoding") != null;
			for (String[] header : request.headers) {
				latin1(head, header[0] + ": " + header[1] + "\r\n");
			}
			if (request.body != null && !framed) {
				latin1(head, request.chunked ? "Transfer-Encoding: chunked\r\n"
						: "Content-Length: " + request.body.length + "\r\n");
			}
			latin1(head, "\r\n");
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
			try {
				out.write(head.toByteArray());
				if (request.body != null) {
					if (request.chunked) {
						for (int at = 0; at < request.body.length; at += 8192) {
							int n = Math.min(8192, request.body.length - at);
							latin1(out, Integer.toHexString(n) + "\r\n");
							out.write(request.body, at, n);
							latin1(out, "\r\n");
						}
						latin1(out, "0\r\n\r\n");
					}
					else {
						out.write(request.body);
					}
				}
				out.flush();
			}
			catch (IOException ex) {
				// the server may answer (413, say) before it has read the whole body:
				// read that answer
			}
			byte[] raw;
			try (InputStream in = socket.getInputStream()) {
				raw = readAll(in);
			}
			return parse(raw);
		}
		catch (IOException ex) {
			return new Answer(-1, Map.of(), new byte[0], ex.toString());
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		byte[] buffer = new byte[16 * 1024];
		try {
			for (int n; (n = in.read(buffer)) >= 0;) {
				all.write(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			if (all.size() == 0) {
				throw ex;
			}
			// a reset after the answer was written: keep what came
		}
		return all.toByteArray();
	}

	private static Answer parse(byte[] raw) {
		int at = 0;
		while (true) {
			int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
			if (end < 0) {
				return new Answer(-1, Map.of(), raw,
						"incomplete answer: " + shorten(new String(raw, StandardCharsets.ISO_8859_1), 200));
			}
			String[] lines = new String(raw, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n");
			String[] statusLine = lines[0].split(" ", 3);
			int status = Integer.parseInt(statusLine[1]);
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers
						.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
								k -> new ArrayList<>())
						.add(lines[i].substring(colon + 1).trim());
				}
			}
			int bodyStart = end + 4;
			if (status >= 100 && status < 200) {
				at = bodyStart;
				continue;
			}
			byte[] body;
			List<String> encoding = headers.get("transfer-encoding");
			List<String> length = headers.get("content-length");
			if (encoding != null && encoding.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
				body = dechunk(raw, bodyStart);
			}
			else if (length != null) {
				int n = Math.min(Integer.parseInt(length.get(0)), raw.length - bodyStart);
				body = java.util.Arrays.copyOfRange(raw, bodyStart, bodyStart + n);
			}
			else {
				body = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
			}
			return new Answer(status, headers, body, null);
		}
	}

	private static byte[] dechunk(byte[] raw, int at) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		while (at < raw.length) {
			int lineEnd = indexOf(raw, new byte[] { '\r', '\n' }, at);
			if (lineEnd < 0) {
				break;
			}
			String sizeLine = new String(raw, at, lineEnd - at, StandardCharsets.ISO_8859_1);
			int semicolon = sizeLine.indexOf(';');
			int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
			if (size == 0) {
				break;
			}
			int start = lineEnd + 2;
			out.write(raw, start, Math.min(size, raw.length - start));
			at = start + size + 2;
		}
		return out.toByteArray();
	}

	private static int indexOf(byte[] haystack, byte[] needle, int from) {
		outer: for (int i = from; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static void latin1(OutputStream out, String text) throws IOException {
		out.write(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	// ---------------------------------------------------------------------------------------------
	// Small helpers
	// ---------------------------------------------------------------------------------------------

	private static byte[] utf8(String text) {
		return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * JSON source of a string whose content is already safe JSON source (no quotes to
	 * escape).
	 */
	private static String quote(String content) {
		return "\"" + content + "\"";
	}

	/** Percent-encodes every byte but unreserved ASCII, for a path segment. */
	private static String encodePath(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String encodeQuery(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/**
	 * The UTF-8 bytes of text, unencoded, as the Latin-1 characters the raw client writes
	 * byte for byte.
	 */
	private static String rawUtf8(String text) {
		return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

	private static String shorten(String text, int max) {
		String printable = text.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
		return printable.length() <= max ? printable
				: printable.substring(0, max) + "...(" + printable.length() + " chars)";
	}

}

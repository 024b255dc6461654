package io.journeys.web;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;

/**
 * The OpenAPI 3.1 description served at {@code /v3/api-docs} (and shown at
 * {@code /swagger-ui.html}). springdoc finds the endpoints and the response records; this
 * class supplies what it cannot see: the request bodies (the controllers read raw JSON
 * and validate it themselves, so the contract's error answers stay exact), the error
 * answers, field and parameter descriptions, the enroll examples of the contract, and the
 * two bearer schemes. Response records are described as the API writes them: snake_case,
 * every property present, {@code null} only where the component is {@link Nullable}.
 * {@code docs/openapi.json} is a copy of the served document, kept current by a test.
 */
@Configuration(proxyBeanMethods = false)
@SuppressWarnings({ "rawtypes", "unchecked" })
class OpenApiConfiguration {

	static final String API_KEY = "apiKey";

	static final String ADMIN_TOKEN = "adminToken";

	private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

	private static final String REF = "#/components/schemas/";

	private static final String RESPONSES = "#/components/responses/";

	@Bean
	OpenAPI journeysOpenApi() {
		return new OpenAPI(SpecVersion.V31).info(new Info().title("journeys-service").version("1").description("""
				Enrolls contacts in automated journeys, by email address or by whole mailing lists, \
				and manages the companies, API keys, contacts, lists and journeys around that.

				- Bodies are JSON with snake_case keys. Ids are opaque strings: anything that is not \
				one of the caller's objects answers 404.
				- `/v1` needs `Authorization: Bearer <company API key>` and sees that company's data \
				only; `/admin/v1` needs `Authorization: Bearer <JOURNEYS_ADMIN_TOKEN>` and answers 404 \
				when no admin token is configured.
				- Every error is `{"error": "<message>"}`, or `{"error": {"<field>": ["<message>", ...]}}` \
				for invalid parameters (422).
				- Every answer carries `X-Request-Id` (the caller's, if it sent a sane one).
				- Collections are pages: follow `next` until it is null.
				- `POST /v1/...` honours `Idempotency-Key`: a retry with the same key and body gets the \
				stored answer with `Idempotent-Replayed: true`.
				- `/v1` is rate limited per key: `RateLimit-Policy` and `RateLimit` headers on every \
				answer, 429 with `Retry-After` when the bucket is empty."""))
			.servers(List.of(new Server().url("/").description("this service")))
			.components(new Components()
				.addSecuritySchemes(API_KEY,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.bearerFormat("jrn_<43 base64url characters>")
							.description("A company API key, created through `/admin/v1/companies/{id}/api_keys`."))
				.addSecuritySchemes(ADMIN_TOKEN,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("The value of the `JOURNEYS_ADMIN_TOKEN` environment variable.")))
			.tags(List.of(new Tag().name("Enrollments").description("Enroll, complete, unenroll, import and list."),
					new Tag().name("Journeys").description("Journeys and their states."),
					new Tag().name("Contacts").description("The people a company can enroll."),
					new Tag().name("Lists").description("Mailing lists and their members."),
					new Tag().name("Admin").description("Companies and their API keys, behind the admin token.")));
	}

	/** Describes response records as they are written; see {@link RecordSchemas}. */
	@Bean
	RecordSchemas recordSchemas() {
		return new RecordSchemas();
	}

	@Bean
	OpenApiCustomizer journeysApiCustomizer() {
		return openApi -> {
			Components components = openApi.getComponents();
			components.getSchemas().remove("JsonNode");
			// springdoc's schemas of the request records give way to the described ones
			List.of("Completion", "ContactBatch", "HistoryImport", "HistoryRow", "Members", "NewApiKey", "NewCompany",
					"NewContact", "NewJourney", "NewList", "Targets")
				.forEach(components.getSchemas()::remove);
			RequestSchemas.all().forEach(components::addSchemas);
			ErrorResponses.all().forEach(components::addResponses);
			Headers.all().forEach(components::addHeaders);
			components.getSchemas().forEach(Fields::describe);
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				Endpoint endpoint = Endpoints.ALL.get(method.name() + " " + path);
				if (endpoint != null) {
					endpoint.apply(path, method, operation);
				}
			}));
		};
	}

	/**
	 * Adjusts springdoc's schemas of this service's records to what the API writes:
	 * property names in snake_case (the application's Jackson naming, which springdoc's
	 * Jackson 2 does not know), every property required (nulls are written, not left
	 * out), {@code "null"} allowed exactly where the record component is
	 * {@link Nullable}, and ids as plain strings (they are opaque, as in paths).
	 */
	static final class RecordSchemas implements ModelConverter {

		/** The application's naming (spring.jackson.property-naming-strategy). */
		private static final PropertyNamingStrategy SNAKE_CASE = PropertyNamingStrategies.SNAKE_CASE;

		@Override
		public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context,
				Iterator<ModelConverter> chain) {
			if (!chain.hasNext()) {
				return null;
			}
			Schema schema = chain.next().resolve(type, context, chain);
			Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
			if (schema == null || !raw.isRecord() || !raw.getPackageName().startsWith("io.journeys")) {
				return schema;
			}
			Schema model = schema;
			if (schema.get$ref() != null) {
				model = context.getDefinedModels()
					.get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
			}
			if (model != null && model.getProperties() != null) {
				describe(model, raw);
			}
			return schema;
		}

		private static void describe(Schema model, Class<?> record) {
			Map<String, Schema> properties = model.getProperties();
			Map<String, Schema> renamed = new LinkedHashMap<>();
			List<String> required = new ArrayList<>();
			for (RecordComponent component : record.getRecordComponents()) {
				String name = SNAKE_CASE.nameForField(null, null, component.getName());
				Schema property = properties.get(component.getName());
				if (property == null) {
					property = properties.get(name);
				}
				if (property == null) {
					continue;
				}
				if (component.getType() == java.util.UUID.class) {
					// ids are opaque strings, in bodies as in paths
					property.setFormat(null);
				}
				if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
					property = nullable(property);
				}
				renamed.put(name, property);
				required.add(name);
			}
			model.setProperties(renamed);
			model.setRequired(required);
		}

		private static Schema nullable(Schema property) {
			if (property.get$ref() != null) {
				return new Schema().specVersion(SpecVersion.V31)
					.addOneOfItem(property)
					.addOneOfItem(new Schema().specVersion(SpecVersion.V31).types(Set.of("null")));
			}
			if (property.getTypes() != null && !property.getTypes().contains("null")) {
				property.setTypes(new java.util.LinkedHashSet<>(property.getTypes()));
				property.addType("null");
			}
			return property;
		}

	}

	/** The request bodies, one schema each, as the controllers read them. */
	static final class RequestSchemas {

		private RequestSchemas() {
		}

		static Map<String, Schema> all() {
			Map<String, Schema> schemas = new LinkedHashMap<>();
			schemas.put("CompanyRequest", object("A company to create.", List.of("name"),
					Map.of("name", string("Name of the company (at most 255 characters).").maxLength(255))));
			schemas.put("ApiKeyRequest", object("An API key to create.", List.of("name"),
					Map.of("name", string("Name of the key, for people (at most 255 characters).").maxLength(255))));
			Map<String, Schema> contact = new LinkedHashMap<>();
			contact.put("email_address", string("Email address; stored trimmed and lowercased. Must hold one `@` "
					+ "and no spaces, at most 254 characters after normalization; unique in the company."));
			contact.put("first_name", string("First name (at most 255 characters).").maxLength(255));
			contact.put("last_name", string("Last name (at most 255 characters).").maxLength(255));
			contact.put("status",
					contactStatus("`active` (the default) or `inactive`; only active contacts are enrolled."));
			schemas.put("ContactRequest", object("A contact to create.", List.of("email_address"), contact));
			Map<String, Schema> changes = new LinkedHashMap<>();
			changes.put("first_name", nullable(string("New first name; `null` clears it.").maxLength(255)));
			changes.put("last_name", nullable(string("New last name; `null` clears it.").maxLength(255)));
			changes.put("status", contactStatus("New status."));
			schemas.put("ContactChanges",
					object("Changes to a contact; absent fields keep their value. The email address cannot change.",
							List.of(), changes));
			Map<String, Schema> bulkItem = new LinkedHashMap<>(contact);
			bulkItem.put("first_name",
					nullable(string("First name; absent or `null` keeps the stored one.").maxLength(255)));
			bulkItem.put("last_name",
					nullable(string("Last name; absent or `null` keeps the stored one.").maxLength(255)));
			bulkItem.put("status",
					contactStatus("Status; absent or `null` keeps the stored one (`active` for a new contact)."));
			schemas.put("BulkContactsRequest",
					object("""
							Contacts to upsert by email address, all or nothing. When an email repeats in one batch the \
							last entry wins.""",
							List.of("contacts"),
							Map.of("contacts", array("The contacts (at most 10,000).",
									object("One contact to create or update.", List.of("email_address"), bulkItem))
								.maxItems(10_000))));
			Map<String, Schema> list = new LinkedHashMap<>();
			list.put("name", string("Name of the list (at most 255 characters).").maxLength(255));
			list.put("email_address", string("Email address the list is named by in enroll and unenroll; "
					+ "stored trimmed and lowercased. Need not be unique, but enroll refuses an email that names several lists."));
			schemas.put("ListRequest", object("A list to create.", List.of("name", "email_address"), list));
			schemas.put("ListChanges", object("Changes to a list; absent fields keep their value.", List.of(), list));
			schemas.put("MembersRequest", object("Contacts to add to or remove from a list, by email address.",
					List.of("contact_email_addresses"),
					Map.of("contact_email_addresses", emails("Contact email addresses (at most 10,000).", 10_000))));
			schemas.put("JourneyRequest", object("A journey to create; it starts in `draft`.", List.of("name"),
					Map.of("name", string("Name of the journey (at most 255 characters).").maxLength(255))));
			Map<String, Schema> journeyChanges = new LinkedHashMap<>();
			journeyChanges.put("name", string("New name (at most 255 characters).").maxLength(255));
			journeyChanges.put("state", journeyState("""
					New state. Allowed: draft→on, on→off, off→on, any→archived (final). Asking for the current \
					state changes nothing; any other change is a 422 on `state`."""));
			schemas.put("JourneyChanges",
					object("Changes to a journey; absent fields keep their value.", List.of(), journeyChanges));
			schemas.put("EnrollRequest", targets("""
					Who to enroll. At least one of the two fields must hold an email once entries are trimmed \
					and lowercased and empty ones dropped (otherwise 422 on `base`). Unknown fields are ignored; \
					`null` means absent."""));
			schemas.put("UnenrollRequest", targets("""
					Who to unenroll, with the same limits, normalization and list resolution as enroll."""));
			schemas.put("CompleteRequest",
					object("Contacts whose active enrollment in the journey is completed now.",
							List.of("contact_email_addresses"),
							Map.of("contact_email_addresses",
									emails("Contact email addresses (at most 1,000; at least one after normalization).",
											1000))));
			Map<String, Schema> row = new LinkedHashMap<>();
			row.put("email_address", string("Email address of a contact of the company."));
			row.put("enrolled_at", time("When the contact entered the journey; not in the future."));
			row.put("completed_at", time("When the contact finished; makes a completed enrollment. Not before "
					+ "`enrolled_at`, not in the future, not together with `exited_at`."));
			row.put("exited_at", time("When the contact left early; makes an exited enrollment. Not before "
					+ "`enrolled_at`, not in the future, not together with `completed_at`."));
			schemas.put("ImportRequest", object("""
					Enrollment history brought from another system, all or nothing. Every row is checked before \
					anything is looked up; errors are keyed like `enrollments[3].enrolled_at`.""",
					List.of("enrollments"),
					Map.of("enrollments",
							array("The rows (at most 10,000). With neither end a row is an active enrollment.", object(
									"One enrollment of the history.", List.of("email_address", "enrolled_at"), row))
								.maxItems(10_000))));
			schemas.put("ErrorMessage", object("An error answer with a message.", List.of("error"),
					Map.of("error", string("What went wrong."))));
			schemas.put("ValidationError",
					object("A 422 on invalid parameters: field names mapped to their messages.", List.of("error"),
							Map.of("error",
									new Schema().specVersion(SpecVersion.V31)
										.$ref(REF + "FieldErrors")
										.description("Field names mapped to their messages."))));
			schemas.put("FieldErrors", schema("object").description("""
					Field names mapped to Rails-style messages, e.g. `{"contact_email_addresses": ["is too long \
					(maximum is 1000)"]}`; fields of array items are keyed like `contacts[3].email_address`, rules \
					about the whole request as `base`.""")
				.minProperties(1)
				.additionalProperties(array("Messages for this field.", string("A message.")).minItems(1)));
			return schemas;
		}

		private static Schema targets(String description) {
			Map<String, Schema> fields = new LinkedHashMap<>();
			fields.put("contact_email_addresses", nullable(emails(
					"Contact email addresses, each trimmed and lowercased (at most 1,000 as sent); `null` means absent.",
					1000)));
			fields.put("list_email_addresses",
					nullable(emails(
							"Email addresses of lists whose active members are all included; each must name "
									+ "exactly one list of the company (at most 100 as sent); `null` means absent.",
							100)));
			return object(description, List.of(), fields);
		}

		private static Schema contactStatus(String description) {
			return string(description)._enum(List.of("active", "inactive"));
		}

	}

	/**
	 * Field descriptions of the response schemas, by {@code Schema.field} or by field
	 * name.
	 */
	static final class Fields {

		private static final Map<String, String> OBJECT_TYPES = Map.ofEntries(Map.entry("CompanyView", "company"),
				Map.entry("ApiKeyView", "api_key"), Map.entry("CreatedApiKey", "api_key"),
				Map.entry("ContactView", "contact"), Map.entry("ListView", "list"), Map.entry("JourneyView", "journey"),
				Map.entry("EnrollmentView", "enrollment"));

		private static final Map<String, String> DOCS = Map.ofEntries(Map.entry("id", "Opaque id."),
				Map.entry("name", "Name."), Map.entry("created_at", "When it was created (ISO-8601, UTC)."),
				Map.entry("updated_at", "When it last changed (ISO-8601, UTC)."),
				Map.entry("email_address", "Email address, trimmed and lowercased."),
				Map.entry("first_name", "First name, or null."), Map.entry("last_name", "Last name, or null."),
				Map.entry("ContactView.status", "`active` contacts can be enrolled; `inactive` ones are skipped."),
				Map.entry("JourneyView.state",
						"`draft`, `on`, `off` or `archived`; only `on` journeys take enrollments."),
				Map.entry("EnrollmentView.status", "`active`, `completed` or `exited`."),
				Map.entry("source",
						"How the enrollment came: `contact` (named by email), `list` (see `list_id`) or `import`."),
				Map.entry("memberships_count", "Number of contacts in the list."),
				Map.entry("token",
						"The key's secret bearer token. It is shown only in this answer and stored only as a hash."),
				Map.entry("revoked_at", "When the key was revoked; null while it works."),
				Map.entry("journey_id", "Id of the journey."), Map.entry("contact_id", "Id of the contact."),
				Map.entry("list_id",
						"Id of the list the contact was enrolled through; null unless `source` is `list`."),
				Map.entry("enrolled_at", "When the contact entered the journey (ISO-8601, UTC)."),
				Map.entry("completed_at", "When the enrollment was completed; null unless `status` is `completed`."),
				Map.entry("exited_at", "When the contact was unenrolled; null unless `status` is `exited`."),
				Map.entry("data", "The rows of this page."), Map.entry("has_more", "Whether another page follows."),
				Map.entry("next",
						"Path and query of the next page (same filters and limit), or null on the last page."),
				Map.entry("limit", "The page size asked for (1..100, default 50)."),
				Map.entry("size", "Number of rows in `data`."),
				Map.entry("enrolled_count", "Number of contacts successfully enrolled."),
				Map.entry("not_enrolled", "Who was not enrolled, by reason."),
				Map.entry("NotEnrolled.not_found",
						"Emails from `contact_email_addresses` that match no active contact (never list members)."),
				Map.entry("NotEnrolled.already_enrolled", "Emails of contacts already enrolled in this journey."),
				Map.entry("NotEnrolled.recently_completed",
						"Emails of contacts who completed the journey within the re-entry window (12 hours)."),
				Map.entry("completed_count", "Number of active enrollments completed."),
				Map.entry("not_completed", "Who was not completed."),
				Map.entry("NotCompleted.not_enrolled",
						"Named emails without an active enrollment in the journey, known or not."),
				Map.entry("unenrolled_count", "Number of active enrollments exited."),
				Map.entry("not_unenrolled", "Who was not unenrolled, by reason."),
				Map.entry("NotUnenrolled.not_found", "Named contact emails that match no contact, active or not."),
				Map.entry("NotUnenrolled.not_enrolled",
						"Named contacts without an active enrollment (list members without one are skipped)."),
				Map.entry("imported_count", "Number of history rows recorded."),
				Map.entry("not_imported", "Rows that were not recorded, by reason."),
				Map.entry("NotImported.not_found", "Emails of rows that match no contact of the company."),
				Map.entry("NotImported.already_enrolled",
						"Emails of active rows whose contact is already active in the journey."),
				Map.entry("created", "Number of contacts created."),
				Map.entry("updated", "Number of existing contacts updated."),
				Map.entry("added_count", "Number of contacts added (existing members are no error and not counted)."),
				Map.entry("Added.not_found", "Emails that match no contact of the company."),
				Map.entry("removed_count", "Number of contacts removed from the list."));

		private Fields() {
		}

		static void describe(String schemaName, Schema schema) {
			Map<String, Schema> properties = schema.getProperties();
			if (properties == null) {
				return;
			}
			properties.forEach((field, property) -> {
				String doc = DOCS.getOrDefault(schemaName + "." + field, DOCS.get(field));
				if ("object".equals(field)) {
					String type = schemaName.startsWith("Page") ? "array" : OBJECT_TYPES.get(schemaName);
					if (type != null) {
						property.setConst(type);
						doc = "Always `" + type + "`.";
					}
				}
				if (property.getDescription() == null && doc != null) {
					property.setDescription(doc);
				}
			});
			List<String> values = switch (schemaName) {
				case "ContactView" -> List.of("status", "active", "inactive");
				case "JourneyView" -> List.of("state", "draft", "on", "off", "archived");
				default -> List.of();
			};
			if (!values.isEmpty()) {
				properties.get(values.get(0)).setEnum(new ArrayList<>(values.subList(1, values.size())));
			}
			if (schemaName.equals("EnrollmentView")) {
				properties.get("status").setEnum(new ArrayList<>(List.of("active", "completed", "exited")));
				properties.get("source").setEnum(new ArrayList<>(List.of("contact", "list", "import")));
			}
		}

	}

	/** The shared error answers, each with the body the contract fixes. */
	static final class ErrorResponses {

		private ErrorResponses() {
		}

		static Map<String, ApiResponse> all() {
			Map<String, ApiResponse> responses = new LinkedHashMap<>();
			responses
				.put("Unauthorized",
						error("Invalid or missing API token (or, on `/admin`, admin token). "
								+ "Carries `WWW-Authenticate: Bearer`.",
								"{\"error\": \"Invalid or missing API token\"}"));
			responses.put("NotFound",
					error("The object does not exist or belongs to another company; on `/admin`, "
							+ "also every path when no admin token is configured.",
							"{\"error\": \"Journey not found\"}"));
			responses.put("Unprocessable", error("Invalid parameters, or a request the current data refuses.",
					"{\"error\": {\"name\": [\"can't be blank\"]}}"));
			responses.put("MalformedBody", error("The body is not valid JSON, or its top level is not an object.",
					"{\"error\": \"request body is not valid JSON\"}"));
			responses.put("BodyTooLarge", error("The body is over the size limit (1 MiB; 16 MiB for bulk endpoints).",
					"{\"error\": \"request body is too large\"}"));
			responses.put("UnsupportedMediaType", error("The body is not `application/json`.",
					"{\"error\": \"Content-Type must be application/json\"}"));
			responses.put("IdempotencyConflict", error("A request with the same `Idempotency-Key` is still running.",
					"{\"error\": \"A request with this Idempotency-Key is still being processed; retry later\"}"));
			responses.put("RateLimited", error("The key's rate limit is used up; `Retry-After` says when to retry.",
					"{\"error\": \"Rate limit exceeded; retry later\"}"));
			responses.put("Unavailable", error("""
					The database did not answer (or, for an enroll that names lists, every slot for such \
					enrolls stayed busy); nothing was changed. `Retry-After` says when to retry.""",
					"{\"error\": \"Service temporarily unavailable: the database did not answer\"}"));
			responses.get("Unauthorized").addHeaderObject("WWW-Authenticate", Headers.ref("WWW-Authenticate"));
			responses.get("RateLimited").addHeaderObject("Retry-After", Headers.ref("Retry-After"));
			responses.get("Unavailable").addHeaderObject("Retry-After", Headers.ref("Retry-After"));
			return responses;
		}

		static ApiResponse error(String description, String example) {
			return Headers.declare(
					new ApiResponse().description(description)
						.content(new Content().addMediaType(JSON,
								new MediaType().schema(errorSchema(List.of(example))).example(json(example)))),
					true, false);
		}

		static ApiResponse error(String description, Map<String, String> examples) {
			MediaType media = new MediaType().schema(errorSchema(examples.values()));
			examples.forEach((summary, json) -> media.addExamples(key(summary),
					new Example().summary(summary).value(json(json))));
			return Headers.declare(
					new ApiResponse().description(description).content(new Content().addMediaType(JSON, media)), true,
					false);
		}

		/**
		 * {@code Error} for a message; where field errors can come (every 422), either of
		 * the two object schemas, which a generator can type.
		 */
		private static Schema errorSchema(java.util.Collection<String> examples) {
			boolean fieldErrors = examples.stream().anyMatch(example -> example.contains("\"error\": {"));
			if (!fieldErrors) {
				return new Schema().$ref(REF + "ErrorMessage");
			}
			return new Schema().specVersion(SpecVersion.V31)
				.addOneOfItem(new Schema().$ref(REF + "ErrorMessage"))
				.addOneOfItem(new Schema().$ref(REF + "ValidationError"));
		}

		static String key(String summary) {
			return summary.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
		}

	}

	/**
	 * What one operation needs beyond what springdoc finds.
	 *
	 * @param id the operation id
	 * @param tag the group it is shown in
	 * @param summary one line
	 * @param description the rules worth knowing, or null
	 * @param request the name of its request body schema, or null when it takes none
	 * @param errors the names of the shared error answers it can give, by status
	 */
	record Endpoint(String id, String tag, String summary, @Nullable String description, @Nullable String request,
			Map<String, String> errors) {

		void apply(String path, PathItem.HttpMethod method, Operation operation) {
			operation.setOperationId(this.id);
			operation.setTags(List.of(this.tag));
			operation.setSummary(this.summary);
			operation.setDescription(this.description);
			boolean admin = path.startsWith("/admin");
			operation.setSecurity(List.of(new SecurityRequirement().addList(admin ? ADMIN_TOKEN : API_KEY)));
			if (this.request != null) {
				MediaType body = new MediaType().schema(new Schema().$ref(REF + this.request));
				Endpoints.REQUEST_EXAMPLES.getOrDefault(this.id, Map.of())
					.forEach((summary, json) -> body.addExamples(ErrorResponses.key(summary),
							new Example().summary(summary).value(json(json))));
				operation.setRequestBody(new RequestBody().required(false)
					.description("JSON object; a missing body counts as `{}`.")
					.content(new Content().addMediaType(JSON, body)));
			}
			if (operation.getParameters() != null) {
				operation.getParameters().forEach(parameter -> Parameters.describe(path, parameter));
			}
			if (!admin && method == PathItem.HttpMethod.POST) {
				operation.addParametersItem(new Parameter().in("header")
					.name("Idempotency-Key")
					.required(false)
					.description("Makes retries safe: the first answer is stored for 24 hours and replayed to a "
							+ "retry with the same key and the same request; the same key with another request is 422.")
					.schema(string("Any string chosen by the caller, e.g. a UUID.").maxLength(255)));
			}
			ApiResponses responses = operation.getResponses();
			responses.forEach((status, response) -> {
				if (response.getContent() != null && response.getContent().get(JSON) != null) {
					// springdoc's own example: none, and not an "example": null either
					response.getContent().get(JSON).setExample(null);
					response.getContent().get(JSON).setExampleSetFlag(false);
				}
				if (response.get$ref() == null) {
					Headers.declare(response, !admin, !admin && method == PathItem.HttpMethod.POST);
				}
			});
			Map<String, ApiResponse> ordered = new LinkedHashMap<>(responses);
			Map<String, String> errors = new LinkedHashMap<>(this.errors);
			errors.put("401", "Unauthorized");
			errors.put("503", "Unavailable");
			if (this.request != null) {
				errors.putIfAbsent("400", "MalformedBody");
				errors.putIfAbsent("413", "BodyTooLarge");
				errors.putIfAbsent("415", "UnsupportedMediaType");
			}
			if (admin) {
				errors.putIfAbsent("404", "NotFound");
			}
			else {
				errors.putIfAbsent("429", "RateLimited");
				if (method == PathItem.HttpMethod.POST) {
					errors.putIfAbsent("409", "IdempotencyConflict");
				}
			}
			errors.forEach((status, name) -> ordered.putIfAbsent(status, new ApiResponse().$ref(RESPONSES + name)));
			Endpoints.SPECIFIC.getOrDefault(this.id, Map.of()).forEach(ordered::put);
			ApiResponses sorted = new ApiResponses();
			ordered.keySet().stream().sorted().forEach(status -> sorted.addApiResponse(status, ordered.get(status)));
			operation.setResponses(sorted);
		}

	}

	/** The response headers, declared once in the components and referenced. */
	static final class Headers {

		private Headers() {
		}

		static Map<String, Header> all() {
			Map<String, Header> headers = new LinkedHashMap<>();
			headers.put("X-Request-Id", header("The request's id: the caller's `X-Request-Id` when sane (1-128 "
					+ "characters of `[A-Za-z0-9._:@/+=-]`), else a new UUID. Every log line of the request carries it."));
			headers.put("RateLimit-Policy", header("On `/v1`: the key's rate limit, e.g. `\"default\";q=5000;w=1`."));
			headers.put("RateLimit",
					header("On `/v1`: what is left of the key's rate limit, e.g. " + "`\"default\";r=4999;t=1`."));
			headers.put("Retry-After", new Header().description("Seconds to wait before retrying.")
				.schema(schema("integer").minimum(java.math.BigDecimal.ZERO)));
			headers.put("WWW-Authenticate", header("`Bearer`."));
			headers.put("Idempotent-Replayed", header("`true` when this answer is the stored answer of an earlier "
					+ "request with the same `Idempotency-Key`; absent otherwise."));
			return headers;
		}

		/**
		 * Declares the headers every answer of an operation carries:
		 * {@code X-Request-Id}; on {@code /v1} the rate limit; on {@code /v1} POSTs the
		 * replay marker.
		 */
		static ApiResponse declare(ApiResponse response, boolean rateLimited, boolean idempotent) {
			response.addHeaderObject("X-Request-Id", ref("X-Request-Id"));
			if (rateLimited) {
				response.addHeaderObject("RateLimit-Policy", ref("RateLimit-Policy"));
				response.addHeaderObject("RateLimit", ref("RateLimit"));
			}
			if (idempotent) {
				response.addHeaderObject("Idempotent-Replayed", ref("Idempotent-Replayed"));
			}
			return response;
		}

		static Header ref(String name) {
			return new Header().$ref("#/components/headers/" + name);
		}

		private static Header header(String description) {
			return new Header().description(description).schema(string(null));
		}

	}

	/** Query and path parameters, by name. */
	static final class Parameters {

		private Parameters() {
		}

		static void describe(String path, Parameter parameter) {
			switch (parameter.getName()) {
				case "id" -> parameter.setDescription(
						"Opaque id of the " + objectOf(path) + ". Unknown, malformed or another company's: 404.");
				case "limit" ->
					parameter.description("Page size, 1..100 (default 50); anything else is a 422 on `limit`.")
						.schema(schema("integer").minimum(java.math.BigDecimal.ONE)
							.maximum(java.math.BigDecimal.valueOf(PageQuery.MAX_LIMIT))
							._default(PageQuery.DEFAULT_LIMIT));
				case "cursor" -> parameter
					.description("Opaque position from the `next` link of the previous page; anything this service "
							+ "did not write is a 422 on `cursor`.");
				case "email_address" ->
					parameter.description("Only rows with this email address (normalized: trimmed, lowercased).");
				case "status" -> parameter.description("Only rows in this status.")
					.schema(string(null)._enum(path.endsWith("/enrollments") ? List.of("active", "completed", "exited")
							: List.of("active", "inactive")));
				case "state" -> parameter.description("Only journeys in this state.").schema(journeyState(null));
				default -> {
				}
			}
		}

		private static String objectOf(String path) {
			if (path.startsWith("/admin/v1/api_keys")) {
				return "API key";
			}
			if (path.startsWith("/admin/v1/companies")) {
				return "company";
			}
			if (path.startsWith("/v1/contacts")) {
				return "contact";
			}
			if (path.startsWith("/v1/lists")) {
				return "list";
			}
			return "journey";
		}

	}

	/** Every operation of the API, by {@code METHOD path}. */
	static final class Endpoints {

		private static final Map<String, String> BODY_422 = Map.of("422", "Unprocessable");

		private static final Map<String, String> ID_404 = Map.of("404", "NotFound");

		private static final Map<String, String> ID_404_BODY_422 = Map.of("404", "NotFound", "422", "Unprocessable");

		private static final Map<String, String> PAGE_422 = Map.of("422", "Unprocessable");

		private static final Map<String, String> ID_404_PAGE_422 = Map.of("404", "NotFound", "422", "Unprocessable");

		static final Map<String, Endpoint> ALL = Map.ofEntries(
				Map.entry("POST /admin/v1/companies",
						new Endpoint("createCompany", "Admin", "Create a company", null, "CompanyRequest", BODY_422)),
				Map.entry("GET /admin/v1/companies/{id}",
						new Endpoint("getCompany", "Admin", "Get a company", null, null, ID_404)),
				Map.entry("POST /admin/v1/companies/{id}/api_keys",
						new Endpoint("createApiKey", "Admin", "Create an API key for a company", """
								The answer is the only one that ever carries the key's `token`; only its SHA-256 \
								hash is stored.""", "ApiKeyRequest", ID_404_BODY_422)),
				Map.entry("GET /admin/v1/companies/{id}/api_keys",
						new Endpoint("listApiKeys", "Admin", "List a company's API keys",
								"Oldest first, revoked ones included with `revoked_at`; never the token.", null,
								ID_404_PAGE_422)),
				Map.entry("DELETE /admin/v1/api_keys/{id}", new Endpoint("revokeApiKey", "Admin", "Revoke an API key",
						"The key answers 401 from then on (on other instances within the key cache's time to live).",
						null, ID_404)),
				Map.entry("POST /v1/contacts",
						new Endpoint("createContact", "Contacts", "Create a contact",
								"422 when the email address is invalid or already taken in the company.",
								"ContactRequest", BODY_422)),
				Map.entry("GET /v1/contacts",
						new Endpoint("listContacts", "Contacts", "List contacts", "Ordered by creation time, then id.",
								null, PAGE_422)),
				Map.entry("GET /v1/contacts/{id}",
						new Endpoint("getContact", "Contacts", "Get a contact", null, null, ID_404)),
				Map.entry("PATCH /v1/contacts/{id}",
						new Endpoint("updateContact", "Contacts", "Change a contact", null, "ContactChanges",
								ID_404_BODY_422)),
				Map.entry("DELETE /v1/contacts/{id}",
						new Endpoint("deleteContact", "Contacts", "Delete a contact",
								"Also deletes its list memberships and its enrollments.", null, ID_404)),
				Map.entry("POST /v1/contacts/bulk",
						new Endpoint("upsertContacts", "Contacts", "Create or update contacts in bulk",
								"Upsert by email address, all or nothing.", "BulkContactsRequest", BODY_422)),
				Map.entry("POST /v1/lists",
						new Endpoint("createList", "Lists", "Create a list", null, "ListRequest", BODY_422)),
				Map.entry("GET /v1/lists",
						new Endpoint("listLists", "Lists", "List lists", "Ordered by creation time, then id.", null,
								PAGE_422)),
				Map.entry("GET /v1/lists/{id}", new Endpoint("getList", "Lists", "Get a list", null, null, ID_404)),
				Map.entry("PATCH /v1/lists/{id}",
						new Endpoint("updateList", "Lists", "Change a list", null, "ListChanges", ID_404_BODY_422)),
				Map.entry("DELETE /v1/lists/{id}",
						new Endpoint("deleteList", "Lists", "Delete a list",
								"Its contacts stay; only the memberships go.", null, ID_404)),
				Map.entry("POST /v1/lists/{id}/members",
						new Endpoint("addListMembers", "Lists", "Add contacts to a list",
								"Existing members are no error.", "MembersRequest", ID_404_BODY_422)),
				Map.entry("DELETE /v1/lists/{id}/members",
						new Endpoint("removeListMembers", "Lists", "Remove contacts from a list", null,
								"MembersRequest", ID_404_BODY_422)),
				Map.entry("GET /v1/lists/{id}/members",
						new Endpoint("listListMembers", "Lists", "List a list's members",
								"Contacts, ordered by creation time, then id.", null, ID_404_PAGE_422)),
				Map.entry("POST /v1/journeys",
						new Endpoint("createJourney", "Journeys", "Create a journey", "New journeys start in `draft`.",
								"JourneyRequest", BODY_422)),
				Map.entry("GET /v1/journeys",
						new Endpoint("listJourneys", "Journeys", "List journeys", "Ordered by creation time, then id.",
								null, PAGE_422)),
				Map.entry("GET /v1/journeys/{id}",
						new Endpoint("getJourney", "Journeys", "Get a journey", null, null, ID_404)),
				Map.entry("PATCH /v1/journeys/{id}",
						new Endpoint("updateJourney", "Journeys", "Rename a journey or change its state", """
								Allowed state changes: draft→on, on→off, off→on, any→archived; `archived` is final. \
								Any other change: 422 `{"error": {"state": ["cannot change from <from> to <to>"]}}`.""",
								"JourneyChanges", ID_404_BODY_422)),
				Map.entry("POST /v1/journeys/{id}/enroll",
						new Endpoint("enroll", "Enrollments", "Enroll contacts in a journey, by email and by list", """
								The journey must be `on`. Candidates are the active contacts named in \
								`contact_email_addresses` plus the active members of the named lists, each once. \
								Each is `already_enrolled` (an active enrollment in this journey), \
								`recently_completed` (completed within 12 hours) or enrolled. One request is one \
								transaction, and concurrent requests never enroll a contact twice. Emails in the \
								answer are normalized and sorted by code point; all three arrays are always present.

								Checks run in this order and the first failure answers: 401, an unreadable body \
								(400, 413, 415) or a field of the wrong type (422), journey 404, journey state 422, \
								limits 422, the `base` rule 422, list resolution 422.""", "EnrollRequest", Map.of())),
				Map.entry("POST /v1/journeys/{id}/unenroll",
						new Endpoint("unenroll", "Enrollments", "Unenroll contacts from a journey", """
								Moves active enrollments to `exited`, in any journey state, with the same limits, \
								normalization and list resolution as enroll. Inactive contacts and inactive list \
								members are unenrolled too.""", "UnenrollRequest", ID_404_BODY_422)),
				Map.entry("POST /v1/journeys/{id}/complete",
						new Endpoint("complete", "Enrollments", "Mark contacts' enrollments completed", """
								How the system that runs the journey's steps reports an end; works in any journey \
								state. A completed contact cannot re-enter the journey for 12 hours.""",
								"CompleteRequest", ID_404_BODY_422)),
				Map.entry("POST /v1/journeys/{id}/enrollments/import", new Endpoint("importEnrollments", "Enrollments",
						"Import enrollment history",
						"""
								Records history from another system, in any journey state, so that the re-entry \
								rule holds from the first day. Times must carry a zone offset \
								(e.g. `2026-01-01T00:00:00Z`). The rows are validated before the journey is looked up.""",
						"ImportRequest", ID_404_BODY_422)),
				Map.entry("GET /v1/journeys/{id}/enrollments",
						new Endpoint("listEnrollments", "Enrollments", "List a journey's enrollments",
								"Newest first: by `enrolled_at` descending, then by id.", null, ID_404_PAGE_422)));

		/** The example payloads of the contract, by operation. */
		static final Map<String, Map<String, String>> REQUEST_EXAMPLES = Map.of("enroll", enrollExamples());

		/** Answers of the enroll endpoint, with the contract's examples. */
		static final Map<String, Map<String, ApiResponse>> SPECIFIC = Map.of("enroll", enrollResponses());

		private Endpoints() {
		}

		private static Map<String, String> enrollExamples() {
			Map<String, String> examples = new LinkedHashMap<>();
			examples.put("By contact emails",
					"{\"contact_email_addresses\": [\"user1@example.com\", \"user2@example.com\", \"user3@example.com\"]}");
			examples.put("By lists", "{\"list_email_addresses\": [\"team@company.com\", \"engineering@company.com\"]}");
			examples.put("Both", "{\"contact_email_addresses\": [\"user1@example.com\"], "
					+ "\"list_email_addresses\": [\"team@company.com\"]}");
			return examples;
		}

		private static Map<String, ApiResponse> enrollResponses() {
			Map<String, ApiResponse> responses = new LinkedHashMap<>();
			responses.put("200",
					new ApiResponse()
						.description("Counts who was enrolled and tells who was not, with the reason; 200 also when "
								+ "nobody could be enrolled.")
						.content(new Content().addMediaType(JSON,
								new MediaType().schema(new Schema().$ref(REF + "EnrollResult")).example(json("""
										{"enrolled_count": 2, "not_enrolled": {"not_found": ["unknown@example.com"], \
										"already_enrolled": ["already.in@example.com"], \
										"recently_completed": ["just.finished@example.com"]}}""")))));
			responses.put("400", ErrorResponses.error("The body is not valid JSON, or its top level is not an object.",
					Map.of("Invalid JSON", "{\"error\": \"request body is not valid JSON\"}")));
			responses.put("404", ErrorResponses.error("Journey not found or does not belong to your company.",
					Map.of("Journey not found", "{\"error\": \"Journey not found\"}")));
			Map<String, String> unprocessable = new LinkedHashMap<>();
			unprocessable.put("Journey not active",
					"{\"error\": \"Journey must be in 'on' state to enroll people. Current state: draft\"}");
			unprocessable.put("No emails provided", "{\"error\": {\"base\": [\"at least one of "
					+ "contact_email_addresses or list_email_addresses must be provided\"]}}");
			unprocessable.put("List not found",
					"{\"error\": \"No list found with email address: nonexistent@company.com\"}");
			unprocessable.put("Multiple lists with the same email", "{\"error\": \"Multiple lists (2) found with "
					+ "email address: duplicate@company.com. Please ensure each list has a unique email address.\"}");
			unprocessable.put("Wrong field type",
					"{\"error\": {\"contact_email_addresses\": [\"must be an array of strings\"]}}");
			unprocessable.put("Too many emails", "{\"error\": {\"contact_email_addresses\": [\"is too long "
					+ "(maximum is 1000)\"], \"list_email_addresses\": [\"is too long (maximum is 100)\"]}}");
			responses.put("422", ErrorResponses.error(
					"Journey not in `on` state, list not found or ambiguous, or invalid parameters.", unprocessable));
			return responses;
		}

	}

	private static Schema schema(String type) {
		return new Schema().specVersion(SpecVersion.V31).types(new java.util.LinkedHashSet<>(List.of(type)));
	}

	private static Schema string(@Nullable String description) {
		return schema("string").description(description);
	}

	/** Example values are JSON text, kept in the order written. */
	private static Object json(String text) {
		try {
			return Json.mapper().readTree(text);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalArgumentException("bad example: " + text, ex);
		}
	}

	private static Schema time(String description) {
		return string(description).format("date-time");
	}

	private static Schema nullable(Schema schema) {
		schema.addType("null");
		return schema;
	}

	private static Schema array(String description, Schema items) {
		return schema("array").description(description).items(items);
	}

	private static Schema emails(String description, int maxItems) {
		return array(description, string("An email address.")).maxItems(maxItems);
	}

	private static Schema object(String description, List<String> required, Map<String, Schema> properties) {
		Schema schema = schema("object").description(description);
		schema.setProperties(new LinkedHashMap<>(properties));
		if (!required.isEmpty()) {
			schema.setRequired(new ArrayList<>(required));
		}
		return schema;
	}

	private static Schema journeyState(@Nullable String description) {
		return string(description)._enum(List.of("draft", "on", "off", "archived"));
	}

}

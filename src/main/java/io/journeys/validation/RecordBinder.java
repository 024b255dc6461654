package io.journeys.validation;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.validation.Validator;

import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Not Jackson's binding: the contract wants a field of the wrong JSON type as a field
 * error, not coerced, and every wrong field in one 422. {@code Optional<String>}:
 * {@code null} was not sent, {@code Optional.empty()} was sent as {@code null}.
 */
@Component
public class RecordBinder {

	private final JsonMapper mapper;

	private final Validator validator;

	private final Map<Class<?>, Shape> shapes = new ConcurrentHashMap<>();

	private final Map<Class<?>, Map<String, Object>> constants = new ConcurrentHashMap<>();

	public RecordBinder(JsonMapper mapper, Validator validator) {
		this.mapper = mapper;
		this.validator = validator;
	}

	/** {@code null} (no body at all) reads as {@code {}}. */
	public <T> T bind(@Nullable JsonNode body, Class<T> type) {
		if (body != null && !body.isObject()) {
			throw new MalformedBody("request body must be a JSON object");
		}
		ValidationErrors errors = new ValidationErrors();
		T request = record(body == null ? this.mapper.createObjectNode() : body, type, "", errors);
		errors.addViolations(this.validator.validate(request));
		errors.throwIfAny();
		return request;
	}

	private <T> T record(JsonNode object, Class<T> type, String prefix, ValidationErrors errors) {
		Shape shape = this.shapes.computeIfAbsent(type, Shape::of);
		Object[] values = new Object[shape.fields.length];
		for (int i = 0; i < values.length; i++) {
			String field = shape.fields[i];
			values[i] = value(object.get(field), shape.types[i], prefix + field, errors);
		}
		try {
			return type.cast(shape.constructor.newInstance(values));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot create " + type.getName(), ex);
		}
	}

	private @Nullable Object value(@Nullable JsonNode node, Type type, String field, ValidationErrors errors) {
		Class<?> raw = raw(type);
		if (raw == Optional.class) {
			if (node == null) {
				return null;
			}
			return Optional.ofNullable(value(node, argument(type), field, errors));
		}
		if (node == null || node.isNull()) {
			return null;
		}
		if (JsonNode.class.isAssignableFrom(raw)) {
			if (!raw.isInstance(node)) {
				errors.add(field, raw == ObjectNode.class ? "must be an object" : Messages.INVALID);
				return null;
			}
			return node;
		}
		if (raw == List.class) {
			return list(node, argument(type), field, errors);
		}
		if (raw == Integer.class) {
			if (!node.isIntegralNumber() || !node.canConvertToInt()) {
				errors.add(field, "must be an integer");
				return null;
			}
			return node.intValue();
		}
		if (!node.isString()) {
			errors.add(field, "must be a string");
			return null;
		}
		String text = node.stringValue();
		if (text.indexOf('\u0000') >= 0) {
			// PostgreSQL text cannot hold it
			errors.add(field, "must not contain null characters");
			return null;
		}
		if (raw == Instant.class) {
			return time(text, field, errors);
		}
		if (raw.isEnum()) {
			return constant(text, raw, field, errors);
		}
		return text;
	}

	private @Nullable List<?> list(JsonNode node, Type element, String field, ValidationErrors errors) {
		boolean strings = element == String.class;
		String fault = strings ? "must be an array of strings" : "must be an array of objects";
		if (!node.isArray() || node.valueStream().anyMatch(item -> strings ? !item.isString() : !item.isObject())) {
			errors.add(field, fault);
			return null;
		}
		List<Object> items = new ArrayList<>(node.size());
		for (JsonNode item : node) {
			items.add(strings ? item.stringValue()
					: record(item, raw(element), field + "[" + items.size() + "].", errors));
		}
		return items;
	}

	private static @Nullable Instant time(String text, String field, ValidationErrors errors) {
		try {
			Instant time = OffsetDateTime.parse(text).toInstant();
			if (SqlTimes.storable(time)) {
				return time;
			}
			errors.add(field, "is out of range");
		}
		catch (DateTimeParseException ex) {
			errors.add(field, "must be an ISO-8601 time with a zone offset");
		}
		return null;
	}

	private @Nullable Object constant(String text, Class<?> type, String field, ValidationErrors errors) {
		Object constant = this.constants
			.computeIfAbsent(type,
					key -> Arrays.stream(key.getEnumConstants())
						.collect(Collectors.toMap(value -> this.mapper.convertValue(value, String.class),
								value -> value)))
			.get(text);
		if (constant == null) {
			errors.add(field, Messages.NOT_INCLUDED);
		}
		return constant;
	}

	private record Shape(String[] fields, Type[] types, Constructor<?> constructor) {

		static Shape of(Class<?> type) {
			RecordComponent[] components = type.getRecordComponents();
			try {
				Constructor<?> constructor = type.getDeclaredConstructor(
						Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
				constructor.setAccessible(true);
				return new Shape(
						Arrays.stream(components)
							.map(component -> ValidationErrors.jsonName(component.getName()))
							.toArray(String[]::new),
						Arrays.stream(components).map(RecordComponent::getGenericType).toArray(Type[]::new),
						constructor);
			}
			catch (NoSuchMethodException ex) {
				throw new IllegalStateException(type.getName() + " is not a record", ex);
			}
		}

	}

	private static Class<?> raw(Type type) {
		return (Class<?>) (type instanceof ParameterizedType parameterized ? parameterized.getRawType() : type);
	}

	private static Type argument(Type type) {
		return ((ParameterizedType) type).getActualTypeArguments()[0];
	}

}

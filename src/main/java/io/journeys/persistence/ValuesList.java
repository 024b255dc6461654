package io.journeys.persistence;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** {@code VALUES} rows, which Citus routes, unlike {@code unnest}; {@code #}: the row. */
public final class ValuesList {

	private ValuesList() {
	}

	/** {@code insert} (ending with {@code values}) followed by {@code rows} rows. */
	public static String of(String insert, int rows, String rowTemplate) {
		return IntStream.range(0, rows)
			.mapToObj(row -> rowTemplate.replace("#", Integer.toString(row)))
			.collect(Collectors.joining(",\n", insert.strip() + "\n", ""));
	}

}

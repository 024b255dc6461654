package io.journeys.persistence;

import java.util.StringJoiner;

/** {@code VALUES} rows, which Citus routes, unlike {@code unnest}; {@code #}: the row. */
public final class ValuesList {

	private ValuesList() {
	}

	/** {@code insert} (ending with {@code values}) followed by {@code rows} rows. */
	public static String of(String insert, int rows, String rowTemplate) {
		StringJoiner values = new StringJoiner(",\n", insert.strip() + "\n", "");
		for (int i = 0; i < rows; i++) {
			values.add(rowTemplate.replace("#", Integer.toString(i)));
		}
		return values.toString();
	}

}

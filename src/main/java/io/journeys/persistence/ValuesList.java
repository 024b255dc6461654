package io.journeys.persistence;

import java.util.StringJoiner;

/**
 * A multi-row {@code INSERT … VALUES} for statements that cannot take their rows from
 * arrays: on Citus an insert fed by {@code unnest} is not routed to the company's shard,
 * one of literal rows is. Row {@code i}'s parameters are the template's with {@code #}
 * replaced by {@code i}, e.g. {@code (:company, :email#)} gives {@code :email0},
 * {@code :email1}, ...
 */
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

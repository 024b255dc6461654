package io.journeys.paging;

import io.journeys.persistence.Keyset;
import io.journeys.validation.InvalidParameters;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;

public record PageQuery(int limit, @Nullable Keyset after) {

	public static final int DEFAULT_LIMIT = 50;

	public static final int MAX_LIMIT = 100;

	/** A bad limit or cursor is a 422 naming the parameter. */
	public static PageQuery of(@Nullable String limit, @Nullable String cursor) {
		ValidationErrors errors = new ValidationErrors();
		int size = DEFAULT_LIMIT;
		if (limit != null) {
			try {
				size = Integer.parseInt(limit.strip());
				if (size < 1 || size > MAX_LIMIT) {
					errors.add("limit", "must be between 1 and " + MAX_LIMIT);
				}
			}
			catch (NumberFormatException ex) {
				errors.add("limit", "must be an integer between 1 and " + MAX_LIMIT);
			}
		}
		Keyset after = null;
		if (cursor != null && !cursor.isEmpty()) {
			try {
				after = Cursor.decode(cursor);
			}
			catch (InvalidParameters ex) {
				errors.add("cursor", "is invalid");
			}
		}
		errors.throwIfAny();
		return new PageQuery(size, after);
	}

	/** One more than the page holds, to learn whether another page follows. */
	public int fetchSize() {
		return this.limit + 1;
	}

}

package io.journeys.paging;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.journeys.persistence.Keyset;
import org.jspecify.annotations.Nullable;

/** {@code next} repeats the request's filters and limit, with the last row's cursor. */
public record Page<T>(String object, List<T> data, boolean hasMore, @Nullable String next, int limit, int size) {

	/**
	 * @param fetched rows fetched with {@link PageQuery#fetchSize()}
	 * @param filters the request's filters (null values are left out)
	 */
	public static <T> Page<T> of(List<T> fetched, PageQuery query, Function<T, Keyset> cursorOf, String path,
			Map<String, @Nullable String> filters) {
		boolean hasMore = fetched.size() > query.limit();
		List<T> data = hasMore ? List.copyOf(fetched.subList(0, query.limit())) : List.copyOf(fetched);
		String next = null;
		if (hasMore) {
			StringBuilder url = new StringBuilder(path).append('?');
			filters.forEach((name, value) -> {
				if (value != null) {
					url.append(name).append('=').append(encode(value)).append('&');
				}
			});
			url.append("limit=").append(query.limit());
			url.append("&cursor=").append(Cursor.encode(cursorOf.apply(data.get(data.size() - 1))));
			next = url.toString();
		}
		return new Page<>("array", data, hasMore, next, query.limit(), data.size());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}

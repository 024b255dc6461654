package io.journeys.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** The rules of a URL the service calls: a webhook step's, a subscription's. */
public final class WebhookUrls {

	public static final int MAX_URL = 2048;

	private WebhookUrls() {
	}

	/**
	 * The URL stripped, or null when it is missing or too long (reported on
	 * {@code field}); one that is malformed, not http(s) or carrying credentials or a
	 * fragment is reported and returned.
	 */
	public static @Nullable String check(@Nullable String url, String field, boolean allowHttp,
			ValidationErrors errors) {
		if (url == null || url.isBlank()) {
			errors.add(field, Messages.BLANK);
			return null;
		}
		url = url.strip();
		if (url.length() > MAX_URL) {
			errors.add(field, Messages.TOO_LONG.replace("{max}", String.valueOf(MAX_URL)));
			return null;
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			errors.add(field, Messages.INVALID);
			return null;
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
				|| uri.getRawFragment() != null) {
			errors.add(field, Messages.INVALID);
		}
		else if (scheme.equals("http") && !allowHttp) {
			errors.add(field, "must be an https URL");
		}
		return url;
	}

}

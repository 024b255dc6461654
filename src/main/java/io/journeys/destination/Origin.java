package io.journeys.destination;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Scheme, host and port of a URL, as browsers write an origin: lower case, the port only
 * when it is not the scheme's own.
 */
public final class Origin {

	private Origin() {
	}

	public static Optional<String> of(String url) {
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		if (uri.getScheme() == null || uri.getHost() == null) {
			return Optional.empty();
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		int port = uri.getPort();
		boolean own = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
		return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (own ? "" : ":" + port));
	}

}

package io.journeys.server;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's HTTP/1.1 connector, with one repair. Tomcat 11.0.22 (and 11.0.25, the latest
 * whose source was read) keeps a processor's HTTP/0.9 flag when it recycles the processor
 * for the next request; when that next request's line then fails to parse, the 400 is
 * written HTTP/0.9 style, without a status line or headers ({@code RawHttpTests}). The
 * processors made here clear the flag before each request. The alternative, no processor
 * cache ({@code server.tomcat.processor-cache: 0}), made a new processor for every
 * request, keep-alive or not: a third fewer requests per second on a request that stops
 * at the key check.
 * <p>
 * Registered by class name ({@link TomcatConfiguration}), so it must stay public with a
 * public no-argument constructor.
 */
public class Http11ResettingProtocol extends Http11NioProtocol {

	/** The private flag; absent (and nothing to repair) if Tomcat renames it. */
	private static final @Nullable VarHandle HTTP09 = http09();

	@Override
	protected Processor createProcessor() {
		return new ResettingProcessor(this, getAdapter());
	}

	private static @Nullable VarHandle http09() {
		try {
			return MethodHandles.privateLookupIn(Http11Processor.class, MethodHandles.lookup())
				.findVarHandle(Http11Processor.class, "http09", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	private static final class ResettingProcessor extends Http11Processor {

		ResettingProcessor(AbstractHttp11Protocol<?> protocol, Adapter adapter) {
			super(protocol, adapter);
		}

		@Override
		public SocketState service(SocketWrapperBase<?> socketWrapper) throws IOException {
			if (HTTP09 != null) {
				HTTP09.set(this, false);
			}
			return super.service(socketWrapper);
		}

	}

}

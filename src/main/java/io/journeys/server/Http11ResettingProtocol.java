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
 * Tomcat's HTTP/1.1 connector, with one repair: Tomcat 11 keeps a recycled processor's
 * HTTP/0.9 flag, so a next request line that fails to parse gets its 400 without status
 * line or headers ({@code RawHttpTests}; docs/reliability.md, "Malformed HTTP"). The
 * processors made here clear the flag before each request; turning the processor cache
 * off instead costs throughput. The flag is {@code Http11Processor.http09}
 * (https://github.com/apache/tomcat/blob/11.0.x/java/org/apache/coyote/http11/Http11Processor.java),
 * which the processor's recycling leaves as it was; no Tomcat bug report for it was
 * found, so this repair stays until one is filed and fixed.
 * <p>
 * Registered by class name, so it must stay public with a public no-argument constructor.
 */
public class Http11ResettingProtocol extends Http11NioProtocol {

	/** Null (nothing to repair) if Tomcat renames the private flag. */
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

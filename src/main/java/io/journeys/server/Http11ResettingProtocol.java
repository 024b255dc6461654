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
 * Tomcat's HTTP/1.1 connector, whose processors clear the HTTP/0.9 flag recycling leaves
 * set ({@code Http11Processor.http09}), else a malformed next request gets a 400 without
 * status line ({@code RawHttpTests}); no processor cache would cost throughput. No Tomcat
 * bug is filed for it; the flag:
 * https://github.com/apache/tomcat/blob/11.0.x/java/org/apache/coyote/http11/Http11Processor.java
 * Registered by class name: public, with a public no-argument constructor.
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

package io.journeys.server;

import io.journeys.web.ErrorWriter;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets odd ids reach the application (where they are simply not found) instead of being
 * refused by Tomcat, makes Tomcat's own refusals JSON, and repairs its HTTP/0.9 flag
 * ({@link Http11ResettingProtocol}).
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcat(ErrorWriter errors) {
		return factory -> {
			factory.setProtocol(Http11ResettingProtocol.class.getName());
			factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
			factory.addContextCustomizers(context -> {
				if (context.getParent() instanceof StandardHost host) {
					// the host adds no valve of its own when one of this class is already
					// there
					host.getPipeline().addValve(new JsonErrorReportValve(errors));
					host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
				}
			});
		};
	}

}

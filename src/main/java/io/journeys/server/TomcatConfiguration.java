package io.journeys.server;

import io.journeys.web.ErrorWriter;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Odd ids reach the application, where they are simply not found, not refused. */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcat(ErrorWriter errors) {
		return factory -> {
			factory.setProtocol(Http11ResettingProtocol.class.getName());
			factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
			factory.addContextCustomizers(context -> {
				if (context.getParent() instanceof StandardHost host) {
					// the host adds no valve of its own when one of this class is there
					host.getPipeline().addValve(new JsonErrorReportValve(errors));
					host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
				}
			});
		};
	}

}

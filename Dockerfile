# syntax=docker/dockerfile:1

# journeys-service: built with the Maven wrapper on a JDK, run from Spring Boot's layered jar on a JRE.
#   docker build -t journeys-service .
#   docker compose up          (with PostgreSQL 17; see docker-compose.yml)

FROM eclipse-temurin:21-jdk AS build
WORKDIR /build
# Dependencies first: this layer is rebuilt only when the POM or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -ntp -q -DskipTests package \
    && cp "$(ls target/journeys-service-*.jar | grep -v original)" app.jar \
    && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:21-jre
# curl for the health check; a system user without a home or a shell to run as.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 journeys \
    && useradd --system --uid 10001 --gid journeys --no-create-home --shell /usr/sbin/nologin journeys
WORKDIR /app
# Least to most often changed, one layer each.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
USER 10001:10001
ENV SERVER_PORT=8080
EXPOSE 8080
# {"status":"UP"} once the database answers; readiness is /actuator/health/readiness.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${SERVER_PORT}/actuator/health" || exit 1
# The exact start command, also run by hand against the packaged jar (README, "Containers"). The heap
# may take 75% of the container's memory; G1 gives back what it does not use after collections and,
# when idle, on a collection every 15 s (docs/reliability.md, "Memory"). More JVM options go in
# JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", \
    "-XX:G1PeriodicGCInterval=15000", "org.springframework.boot.loader.launch.JarLauncher"]

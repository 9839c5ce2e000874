# syntax=docker/dockerfile:1
#
# Postroom's image: the dispatcher, the api and the bounce reader on one class path, the entry point
# chosen by the argument (the main class; the dispatcher's by default):
#   docker build -t postroom:0.1.0-SNAPSHOT .
#   docker run postroom:0.1.0-SNAPSHOT                                  # io.postroom.dispatcher.Main
#   docker run postroom:0.1.0-SNAPSHOT io.postroom.api.http.ApiMain     # the HTTP api
#   docker run postroom:0.1.0-SNAPSHOT io.postroom.bounces.BouncesMain  # the bounce reader
#
# Building it needs a container engine (Docker with BuildKit, or Podman/Buildah). The machine
# this was written on has none, so this file has NOT been built or run here; k8s/'s ManifestsTest
# only checks it against the manifests (entry points, ports, user).

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# Only the api, dispatcher and bounces modules (and contract and the parent, which they need) are
# built; copy-dependencies runs in the same reactor as package, so their dependency on
# postroom-contract is this build's jar. None depends on another: the three jars are copied.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests -pl api,dispatcher,bounces -am package \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp api/target/postroom-api-*.jar dispatcher/target/postroom-dispatcher-*.jar \
       bounces/target/postroom-bounces-*.jar /out/lib/

FROM eclipse-temurin:17-jre
# numeric, so that Kubernetes can verify runAsNonRoot; the manifests run as the same UID
RUN groupadd --system --gid 10001 postroom \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin postroom
COPY --from=build /out/lib/ /app/lib/
# Class-data sharing: the classes a dispatcher loads in a real run (bin/postroom cds-classlist),
# parsed and verified once here instead of at every start (a dispatcher is ready in about 2.2 s
# instead of 3.2 s on the developers' machine). Dumped with the ENTRYPOINT's own class path; if the
# two ever differ, the JVM starts without the archive (-Xshare:auto), only slower.
COPY dispatcher/src/main/cds/dispatcher.classlist /app/cds/
RUN java -Xshare:dump -XX:SharedClassListFile=/app/cds/dispatcher.classlist \
        -XX:SharedArchiveFile=/app/cds/postroom.jsa -cp '/app/lib/*' > /app/cds/dump.log 2>&1
WORKDIR /app
USER 10001:10001
# 8081: the dispatcher's health and metrics (POSTROOM_HTTP_PORT); 8080: the api (POSTROOM_API_PORT);
# 8082: the bounce reader's health and metrics (POSTROOM_BOUNCES_HTTP_PORT)
EXPOSE 8081 8080 8082
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/cds/postroom.jsa", "-cp", "/app/lib/*"]
CMD ["io.postroom.dispatcher.Main"]

package io.postroom.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One kustomization's output: its documents, and the typed objects the checks look at. */
record Rendering(String name, List<JsonNode> documents) {
  static final String COMPONENT = "app.kubernetes.io/component";

  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  <T> List<T> typed(Class<T> type) {
    return documents.stream()
        .filter(d -> StrictModel.modelOf(d).filter(type::equals).isPresent())
        .map(d -> StrictModel.parse(d, type))
        .toList();
  }

  /** The Deployment of a component ("dispatcher", "api"). */
  Deployment deployment(String component) {
    return typed(Deployment.class).stream()
        .filter(d -> component.equals(d.getMetadata().getLabels().get(COMPONENT)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " has no Deployment labelled " + COMPONENT + "=" + component));
  }

  Optional<ConfigMap> configMap(String name) {
    return typed(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
  }

  Optional<Secret> secret(String name) {
    return typed(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst();
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError(deployment.getMetadata().getName() + " should run one container, runs " + containers.size());
    }
    return containers.get(0);
  }

  static Optional<String> env(Container container, String variable) {
    return container.getEnv().stream().filter(e -> e.getName().equals(variable)).map(EnvVar::getValue).findFirst();
  }

  /** The container port a probe or Service names, by name or number. */
  static Optional<ContainerPort> port(Container container, IntOrString port) {
    return container.getPorts().stream()
        .filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
            : port.getIntVal().equals(p.getContainerPort()))
        .findFirst();
  }

  /** A file the container reads: the volume it lies on and, for a ConfigMap or Secret, the key it is. */
  record MountedFile(VolumeMount mount, Volume volume, String key) {
  }

  static Optional<MountedFile> mountedFile(PodSpec pod, Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> path.startsWith(m.getMountPath().replaceAll("/$", "") + "/"))
        .max(Comparator.comparingInt(m -> m.getMountPath().length()))
        .map(m -> {
          Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst()
              .orElseThrow(() -> new AssertionError("volumeMount " + m.getName() + " has no volume"));
          String relative = path.substring(m.getMountPath().replaceAll("/$", "").length() + 1);
          return new MountedFile(m, volume, keyOf(volume, relative));
        });
  }

  private static String keyOf(Volume volume, String relative) {
    var items = volume.getConfigMap() != null ? volume.getConfigMap().getItems()
        : volume.getSecret() != null ? volume.getSecret().getItems() : null;
    if (items == null || items.isEmpty()) {
      return relative;
    }
    return items.stream().filter(i -> i.getPath().equals(relative)).map(i -> i.getKey()).findFirst().orElse(null);
  }

  /** The decoded data of the ConfigMap or Secret behind a volume, if that object is in this rendering. */
  Optional<Map<String, String>> data(Volume volume) {
    if (volume.getConfigMap() != null) {
      return configMap(volume.getConfigMap().getName())
          .map(c -> c.getData() == null ? Map.<String, String>of() : c.getData());
    }
    if (volume.getSecret() != null) {
      return secret(volume.getSecret().getSecretName()).map(s -> {
        Map<String, String> data = new java.util.LinkedHashMap<>();
        // kustomize wraps long base64 lines, which the API server accepts
        if (s.getData() != null) {
          s.getData().forEach((k, v) -> data.put(k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
          data.putAll(s.getStringData());
        }
        return data;
      });
    }
    return Optional.empty();
  }
}

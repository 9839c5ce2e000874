package io.postroom.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.Optional;

/**
 * fabric8's typed Kubernetes model, read strictly: a field the model does not know is an error,
 * and so is a scalar of the wrong type (a number where Kubernetes wants a string).
 *
 * <p>fabric8's classes keep unknown fields in {@code additionalProperties} through a Jackson
 * any-setter, so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone would never fire: the any-setters are
 * removed here. Jackson also turns {@code 8081} into {@code "8081"} and {@code "3"} into {@code 3}
 * where the API server refuses both: those coercions are switched off.
 */
final class StrictModel {
  /** The kinds this project uses that fabric8 has a model for, by apiVersion/kind. */
  static final Map<String, Class<?>> TYPED = Map.of(
      "v1/Namespace", Namespace.class,
      "v1/ConfigMap", ConfigMap.class,
      "v1/Secret", Secret.class,
      "v1/Service", Service.class,
      "apps/v1/Deployment", Deployment.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
      "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

  private static final ObjectMapper MAPPER = strictMapper();

  private StrictModel() {
  }

  static String typeOf(JsonNode document) {
    return document.path("apiVersion").asText() + "/" + document.path("kind").asText();
  }

  /** The model class for this document's apiVersion and kind, if fabric8 has one we use. */
  static Optional<Class<?>> modelOf(JsonNode document) {
    return Optional.ofNullable(TYPED.get(typeOf(document)));
  }

  /** The document as its model class; an unknown field or a mistyped scalar throws, naming its path. */
  static <T> T parse(JsonNode document, Class<T> type) {
    try {
      return MAPPER.treeToValue(document, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String what = document.has("kind") ? typeOf(document) + " " + document.path("metadata").path("name").asText()
          : type.getSimpleName();
      throw new IllegalArgumentException(what + ": " + e.getOriginalMessage() + " (" + path(e) + ")", e);
    }
  }

  private static String path(com.fasterxml.jackson.core.JsonProcessingException e) {
    return e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? m.getPathReference() : "";
  }

  private static ObjectMapper strictMapper() {
    SimpleModule noAnySetters = new SimpleModule("no-any-setters");
    noAnySetters.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
          BeanDeserializerBuilder builder) {
        builder.setAnySetter(null);
        return builder;
      }
    });
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .addModule(noAnySetters)
        .build();
    for (CoercionInputShape shape : new CoercionInputShape[] {
        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return mapper;
  }
}

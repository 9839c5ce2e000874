package io.postroom.contract.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One recipient's template variables: a JSON object of strings, numbers, booleans, null, lists and
 * nested objects, held as plain {@link Map}, {@link List}, {@link String}, {@link Number} and
 * {@link Boolean} values and nothing else. Mustache engines call methods on other objects; these
 * types are the sandbox's boundary, so no value of any other type can reach a template.
 */
public final class TemplateVars {
  public static final TemplateVars NONE = new TemplateVars(Map.of());

  private final Map<String, Object> values;

  private TemplateVars(Map<String, Object> values) {
    this.values = values;
  }

  /** The variables of a JSON object, copied into the sandbox's types. */
  public static TemplateVars of(JsonObject json) {
    return json == null ? NONE : new TemplateVars(object(json.getMap()));
  }

  /**
   * The variables of a map of JSON values as Jackson or Vert.x hold them (Map, List, JsonObject,
   * JsonArray, String, Number, Boolean, null).
   *
   * @throws IllegalArgumentException naming the variable whose value is of another type
   */
  public static TemplateVars of(Map<String, ?> map) {
    return map == null ? NONE : new TemplateVars(object(map));
  }

  /** The values as the templates see them; unmodifiable. */
  public Map<String, Object> asMap() {
    return values;
  }

  /** As JSON, to be written into a job again. */
  public JsonObject toJson() {
    return new JsonObject(new LinkedHashMap<>(values));
  }

  private static Map<String, Object> object(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = String.valueOf(entry.getKey());
      copy.put(name, value(name, entry.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object value(String name, Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
      return value;
    }
    if (value instanceof JsonObject json) {
      return object(json.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return object(map);
    }
    if (value instanceof JsonArray array) {
      return list(name, array.getList());
    }
    if (value instanceof List<?> list) {
      return list(name, list);
    }
    throw new IllegalArgumentException("variable " + name + " holds a " + value.getClass().getSimpleName()
        + "; template variables are strings, numbers, true/false, null, lists and objects");
  }

  private static List<Object> list(String name, List<?> list) {
    List<Object> copy = new ArrayList<>(list.size());
    for (Object element : list) {
      copy.add(value(name, element));
    }
    return Collections.unmodifiableList(copy);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TemplateVars vars && vars.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}

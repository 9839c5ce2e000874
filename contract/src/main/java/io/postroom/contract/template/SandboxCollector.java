package io.postroom.contract.template;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How templates read variables: a name is a key of a map, a number is an index into a list, and
 * nothing else. JMustache's default collector would also call methods and read fields by
 * reflection, and its basic one answers {@code entrySet} on any map; here a name the recipient's
 * variables do not hold is missing, which makes the render fail rather than print something else.
 */
final class SandboxCollector extends BasicCollector {
  private static final Mustache.VariableFetcher MAP_KEY = (context, name) -> {
    Map<?, ?> map = (Map<?, ?>) context;
    return map.containsKey(name) ? map.get(name) : Template.NO_FETCHER_FOUND;
  };
  private static final Mustache.VariableFetcher LIST_INDEX = (context, name) -> {
    List<?> list = (List<?>) context;
    try {
      int index = Integer.parseInt(name);
      return index >= 0 && index < list.size() ? list.get(index) : Template.NO_FETCHER_FOUND;
    } catch (NumberFormatException e) {
      return Template.NO_FETCHER_FOUND;
    }
  };

  @Override
  public Iterator<?> toIterator(Object value) {
    return value instanceof List<?> list ? list.iterator() : null;
  }

  @Override
  public Mustache.VariableFetcher createFetcher(Object context, String name) {
    if (context instanceof Map<?, ?>) {
      return MAP_KEY;
    }
    if (context instanceof List<?>) {
      return LIST_INDEX;
    }
    return null;
  }

  /** Shared by the threads that render one template at the same time. */
  @Override
  public <K, V> Map<K, V> createFetcherCache() {
    return new ConcurrentHashMap<>();
  }
}

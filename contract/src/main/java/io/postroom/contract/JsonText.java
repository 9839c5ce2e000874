package io.postroom.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses job JSON into Vert.x values with a parser of our own. Jackson refuses strings longer than
 * 20 million characters by default, which is where Vert.x's shared parser stays: a job with a 15 MB
 * attachment would be called invalid JSON instead of being sized against the relay's limit. The
 * record's own size is bounded where it is received (Kafka, HTTP), so no string limit is kept here.
 */
public final class JsonText {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build();

  private JsonText() {
  }

  /** A streaming parser with the same limits, for readers that must not hold the whole document. */
  public static JsonParser parser(InputStream utf8Json) throws IOException {
    return FACTORY.createParser(utf8Json);
  }

  /** A JsonObject, JsonArray, String, Number, Boolean or null. */
  static Object parse(String text) {
    JsonParser parser;
    try {
      parser = FACTORY.createParser(text);
    } catch (IOException e) {
      throw new DecodeException("Failed to decode: " + e.getMessage(), e);
    }
    return JacksonCodec.fromParser(parser, Object.class);
  }
}

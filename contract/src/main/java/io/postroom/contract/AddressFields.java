package io.postroom.contract;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/** Reads the job's address fields: from, replyTo and the recipient lists. */
final class AddressFields {
  private AddressFields() {
  }

  /** The address, or null after recording why it is unusable. */
  static Address one(Reading reading, String field, String value) {
    if (value == null || !reading.lineBreakFree(field, value)) {
      return null;
    }
    try {
      return Address.parse(value);
    } catch (AddressException e) {
      reading.add(ErrorCode.BAD_ADDRESS, field,
          reading.path(field) + " " + Reading.quoted(value) + " is not a valid e-mail address: " + e.getMessage());
      return null;
    }
  }

  /** The usable addresses of a recipient list; null when the field is not a list at all. */
  static List<Address> list(Reading reading, String field) {
    JsonArray array = reading.optionalArray(field, "[\"a@example.org\"]");
    if (array == null) {
      return reading.json().getValue(field) == null ? List.of() : null;
    }
    List<Address> addresses = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String path = field + "[" + i + "]";
      Object value = array.getValue(i);
      if (!(value instanceof String s)) {
        reading.add(ErrorCode.INVALID_FIELD, path, path + " must be a string such as \"a@example.org\", not "
            + (value == null ? "null" : Reading.typeOf(value)));
        continue;
      }
      Address address = one(reading, path, s);
      if (address != null) {
        addresses.add(address);
      }
    }
    return addresses;
  }
}

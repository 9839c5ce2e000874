package io.postroom.contract.bulk;

import io.postroom.contract.Address;
import io.postroom.contract.template.TemplateVars;

/** One usable recipient of a bulk job: its key (its job id is {@code <bulk id>/<key>}), address and variables. */
public record Recipient(int index, String key, Address to, TemplateVars vars) implements RecipientEntry {
}

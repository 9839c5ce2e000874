package io.postroom.contract.template;

/** A registered template by name and version ({@code "templateRef": {"name": "statement", "version": 3}}). */
public record TemplateRef(String name, int version) {

  @Override
  public String toString() {
    return name + " version " + version;
  }
}

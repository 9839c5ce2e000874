package io.postroom.api.http;

import io.vertx.ext.web.RoutingContext;

/** How the api writes an error: the problem document, with its status and content type. */
public final class Responses {
  private Responses() {
  }

  public static void problem(RoutingContext ctx, Problem problem, String... headers) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.CONTENT_TYPE);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      ctx.response().putHeader(headers[i], headers[i + 1]);
    }
    ctx.response().end(problem.toJson().encode());
  }
}

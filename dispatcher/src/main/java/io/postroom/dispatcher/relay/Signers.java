package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.dkim.DkimKey;
import io.vertx.core.Future;
import io.vertx.ext.mail.MailClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A relay's signing mail clients, one per key in use, made when a key is first used: vertx-mail-client
 * signs every mail of a client with every key of its config, so the key is chosen by choosing the
 * client. They are made with {@code MailClient.createShared} on the relay's pool names, so they share
 * its connections (see {@link Relay}). When a domain's key changes (a rotation), the next send makes
 * the new key's client and the old one is closed once no send uses it: closing a shared client only
 * gives back its share of the pool, and only once (a second close throws). Event-loop confined: one
 * per relay of a dispatcher instance, so no two event loops sign with one client (its signature
 * object is synchronized: sharing one would serialise the instances' signatures).
 */
final class Signers {
  private final Function<DkimKey, Signer> make;
  /** The signer of each domain's key directory ({@code <keysDir>/<domain>}): one key in use per domain. */
  private final Map<Path, Signer> bySlot = new HashMap<>();
  private boolean closed;

  /** @param make builds a key's two clients (single- and multi-recipient) on the relay's pools */
  Signers(Function<DkimKey, Signer> make) {
    this.make = make;
  }

  /** One key's clients, and the sends using them. */
  static final class Signer {
    final DkimKey key;
    final MailClient single;
    final MailClient multi;
    private int sending;
    private boolean retired;
    private boolean closed;

    Signer(DkimKey key, MailClient single, MailClient multi) {
      this.key = key;
      this.single = single;
      this.multi = multi;
    }

    private Future<Void> close() {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      return Future.join(single.close(), multi.close()).mapEmpty();
    }
  }

  /** The signer of {@code key}, taken for one send: give it back with {@link #release}. */
  Signer take(DkimKey key) {
    if (closed) {
      throw new IllegalStateException("the relay is closed");
    }
    Path slot = key.file().getParent();
    Signer signer = bySlot.get(slot);
    if (signer == null || signer.key != key) {
      Signer made = make.apply(key);
      bySlot.put(slot, made);
      if (signer != null) {
        retire(signer);
      }
      signer = made;
    }
    signer.sending++;
    return signer;
  }

  void release(Signer signer) {
    signer.sending--;
    if (signer.retired && signer.sending == 0) {
      signer.close();
    }
  }

  /** Keys in use now: for tests and the relay's close. */
  int open() {
    return bySlot.size();
  }

  private void retire(Signer old) {
    old.retired = true;
    if (old.sending == 0) {
      old.close();
    }
  }

  Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    bySlot.values().forEach(signer -> closing.add(signer.close()));
    bySlot.clear();
    return Future.join(closing).mapEmpty();
  }
}

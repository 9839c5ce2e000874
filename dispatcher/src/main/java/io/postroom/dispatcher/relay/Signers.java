package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.dkim.DkimKey;
import io.vertx.core.Future;
import io.vertx.ext.mail.MailClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  private final Clients make;
  /** The signer of each domain's key directory ({@code <keysDir>/<domain>}): one key in use per domain. */
  private final Map<Path, Signer> bySlot = new HashMap<>();
  private boolean closed;

  /** @param make builds a key's clients on the relay's pools */
  Signers(Clients make) {
    this.make = make;
  }

  /** Makes a signing client on one of the relay's two pools. */
  @FunctionalInterface
  interface Clients {
    /**
     * @param multi the pool of jobs with several recipients, else the single-recipient one
     * @param blankBody for a message whose body is blank (see {@link Relay#hasBlankBody})
     */
    MailClient make(DkimKey key, boolean multi, boolean blankBody);
  }

  /** One key's clients (made when first needed), and the sends using them. */
  final class Signer {
    final DkimKey key;
    /** single, multi, single for blank bodies, multi for blank bodies. */
    private final MailClient[] clients = new MailClient[4];
    private int sending;
    private boolean retired;
    private boolean closed;

    Signer(DkimKey key) {
      this.key = key;
    }

    MailClient client(boolean multi, boolean blankBody) {
      int i = (multi ? 1 : 0) + (blankBody ? 2 : 0);
      if (clients[i] == null) {
        clients[i] = make.make(key, multi, blankBody);
      }
      return clients[i];
    }

    private Future<Void> close() {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      List<Future<Void>> closing = new ArrayList<>();
      for (MailClient client : clients) {
        if (client != null) {
          closing.add(client.close());
        }
      }
      return Future.join(closing).mapEmpty();
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
      Signer made = new Signer(key);
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

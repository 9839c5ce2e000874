#!/usr/bin/python3
# Verifies DKIM signatures with dkimpy (Debian's python3-dkim), independently of Postroom.
# Usage: /usr/bin/python3 verify.py sel._domainkey.dom=KEYFILE ... MESSAGE.eml ...
# KEYFILE holds the base64 public key (the p= of the TXT record). DNS is never asked: the TXT
# records come from the arguments. Prints one line per message ("ok|FAIL <file> s=<selector>")
# and exits 1 if any message fails.
import sys
import dkim

keys, messages = {}, []
for arg in sys.argv[1:]:
    if "=" in arg:
        name, path = arg.split("=", 1)
        with open(path, "rb") as f:
            keys[name.encode() + b"."] = f.read().strip()
    else:
        messages.append(arg)


def dnsfunc(name, timeout=5):
    return b"v=DKIM1; k=rsa; p=" + keys[name] if name in keys else None


failed = 0
for path in messages:
    with open(path, "rb") as f:
        message = f.read()
    d = dkim.DKIM(message)
    ok = d.verify(dnsfunc=dnsfunc)
    selector = d.selector.decode() if d.selector else "-"
    print("%s %s s=%s" % ("ok" if ok else "FAIL", path, selector))
    failed += 0 if ok else 1
sys.exit(1 if failed else 0)

package io.spoils.gateway.ingest;

import io.spoils.gateway.config.DicomCallerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Whether the C-STORE listener accepts an association: its calling AE title must be one of
 * {@link DicomCallerOptions#allowed()}, and from that entry's host when it names one (host names
 * are resolved once, when the listener starts). Immutable and thread-safe.
 */
final class CallerPolicy {

  private static final Logger LOG = Logger.getLogger(CallerPolicy.class.getName());

  private record Entry(String aeTitle, Optional<Set<InetAddress>> addresses) { }

  private final List<Entry> entries;

  private CallerPolicy(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The policy of {@code options} (blocking: resolves host names; call it at start-up). */
  static CallerPolicy of(DicomCallerOptions options) {
    List<Entry> out = new ArrayList<>();
    for (DicomCallerOptions.Caller c : options.allowed()) {
      Optional<Set<InetAddress>> addresses = c.host().map(h -> {
        try {
          return Set.of(InetAddress.getAllByName(h));
        } catch (UnknownHostException e) {
          LOG.warning("dicomAllowedCallers: host " + h + " does not resolve; " + c.aeTitle()
              + " is refused from everywhere until the listener restarts");
          return Set.of();
        }
      });
      out.add(new Entry(c.aeTitle(), addresses));
    }
    return new CallerPolicy(out);
  }

  /** Whether every caller is accepted (nothing to check). */
  boolean any() {
    return entries.isEmpty();
  }

  /** Whether {@code callingAe} may associate from {@code peer}. */
  boolean allows(String callingAe, InetAddress peer) {
    if (entries.isEmpty()) {
      return true;
    }
    for (Entry e : entries) {
      if (e.aeTitle().equals(callingAe)
          && e.addresses().map(a -> a.contains(peer)).orElse(true)) {
        return true;
      }
    }
    return false;
  }
}

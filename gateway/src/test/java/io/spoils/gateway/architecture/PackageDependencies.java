package io.spoils.gateway.architecture;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * The package graph of compiled classes as the JDK's {@code jdeps -verbose:package} reports it
 * (run in process through {@link ToolProvider}), restricted to packages under a prefix, and its
 * cycles (strongly connected components of more than one package, Tarjan's algorithm).
 */
final class PackageDependencies {

  private final Map<String, Set<String>> edges;

  private PackageDependencies(Map<String, Set<String>> edges) {
    this.edges = edges;
  }

  /**
   * The dependencies between packages starting with {@code prefix} among the classes under
   * {@code classes} (a folder such as {@code target/classes}).
   */
  static PackageDependencies of(Path classes, String prefix) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps tool"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package",
        "-e", prefix.replace(".", "\\.") + ".*", classes.toString());
    if (rc != 0) {
      throw new IllegalStateException("jdeps failed (" + rc + "): " + err);
    }
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String line : out.toString().split("\\R")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[1].equals("->") && f[0].startsWith(prefix)
          && f[2].startsWith(prefix)) {
        edges.computeIfAbsent(f[0], k -> new TreeSet<>());
        edges.computeIfAbsent(f[2], k -> new TreeSet<>());
        if (!f[0].equals(f[2])) {
          edges.get(f[0]).add(f[2]);
        }
      }
    }
    return new PackageDependencies(edges);
  }

  /** The packages {@code from} depends on directly. */
  Set<String> dependencies(String from) {
    return edges.getOrDefault(from, Set.of());
  }

  /** Every package seen. */
  Set<String> packages() {
    return edges.keySet();
  }

  /** Each cycle as its packages, sorted; empty when the graph is acyclic. */
  List<Set<String>> cycles() {
    Tarjan t = new Tarjan();
    edges.keySet().forEach(p -> {
      if (!t.index.containsKey(p)) {
        t.visit(p);
      }
    });
    return t.cycles;
  }

  private final class Tarjan {
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, Integer> low = new HashMap<>();
    final Deque<String> stack = new ArrayDeque<>();
    final Set<String> onStack = new TreeSet<>();
    final List<Set<String>> cycles = new ArrayList<>();
    int next;

    void visit(String v) {
      index.put(v, next);
      low.put(v, next);
      next++;
      stack.push(v);
      onStack.add(v);
      for (String w : dependencies(v)) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        Set<String> component = new TreeSet<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        if (component.size() > 1) {
          cycles.add(component);
        }
      }
    }
  }
}

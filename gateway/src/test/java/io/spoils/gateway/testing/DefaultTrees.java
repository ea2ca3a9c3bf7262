package io.spoils.gateway.testing;

import io.spoils.feature.trees.TreeGrader;
import io.spoils.feature.trees.XgbTreeGrader;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: resolves a {@link XgbTreeGrader} (or {@link TreeGrader}) parameter, of a test,
 * {@code @BeforeAll} or constructor, with the bundled default trees, loaded once per test run and
 * closed when the run ends. Tests share it, so they must not close it:
 *
 * <pre>{@code
 * @ExtendWith(DefaultTrees.class)
 * class SomeTest {
 *   @BeforeAll
 *   static void load(XgbTreeGrader defaultTrees) { trees = defaultTrees; }
 * }
 * }</pre>
 */
public final class DefaultTrees implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DefaultTrees.class);

  /** Closes the shared grader when the root context (the test run) closes. */
  private record Shared(XgbTreeGrader trees) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      trees.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == XgbTreeGrader.class || type == TreeGrader.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /**
   * The default trees shared by this test run, for other extensions (the server tests'
   * {@code StartedServer}); loaded on first use. Never close them.
   */
  public static XgbTreeGrader shared(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, k -> new Shared(XgbTreeGrader.loadDefault()),
            Shared.class).trees();
  }
}

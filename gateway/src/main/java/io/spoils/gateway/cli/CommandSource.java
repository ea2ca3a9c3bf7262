package io.spoils.gateway.cli;

import java.util.List;

/**
 * More {@code bin/spoils} commands, found with {@link java.util.ServiceLoader} when {@link Spoils}
 * builds its command line: the training and evaluation commands of the tools jar
 * ({@code io.spoils.gateway.tooling.cli.ToolCommands}, listed in its
 * {@code META-INF/services/io.spoils.gateway.cli.CommandSource}). The runtime jar never names them,
 * so the deployed image, which carries only the runtime jar, serves without them.
 */
public interface CommandSource {

  /** Fresh picocli command objects (each class annotated with {@code @Command}), in help order. */
  List<Object> commands();
}

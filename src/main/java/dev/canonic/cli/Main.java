package dev.canonic.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code canonic} program. */
@Command(name = "canonic", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Learns action-angle coordinates of Hamiltonian systems from orbit data.",
    subcommands = {InfoCommand.class, ValidateCommand.class, SelftestCommand.class, TrainCommand.class, ActionsCommand.class, ActionFinderCommands.Acceleration.class, ActionFinderCommands.Inverse.class, OrbitCommand.class, dev.canonic.dynamics.cli.GenerateCommand.class,
        dev.canonic.dynamics.cli.ReferenceActionsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** The version from the jar manifest, or the development version. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"canonic " + version()};
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the program and returns its exit code. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof java.io.IOException || ex instanceof IllegalArgumentException || ex instanceof ArithmeticException) {
                cmd.getErr().println("canonic " + cmd.getCommandName() + ": " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}

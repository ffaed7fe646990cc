package io.github.jovl.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "jovl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "A userspace overlay filesystem with the semantics of Linux kernel overlayfs.",
        description = {
            "",
            "Merges read-only lower directories and a writable upper directory into one view, like"
                + " `mount -t overlay`, but served from user space through FUSE.",
            "",
            "`jovl -o OPTIONS MOUNTPOINT` is the same as `jovl mount -o OPTIONS MOUNTPOINT`, so jovl can be"
                + " used wherever fuse-overlayfs is (for example as podman's mount_program).",
            ""},
        commandListHeading = "Commands:%n",
        footer = {"", "Run `jovl COMMAND --help` for a command's options."})
public final class Main implements Runnable {
    /**
     * The commands, in the order --help lists them. Registered by {@link #commandLine} rather than in @Command, so
     * that a run of one command (the two JVMs of `jovl mount` above all) does not build picocli's model of all
     * the others: with the CDS archive, building all of them took 290 ms, mount's alone 120 ms (median of 5,
     * loaded 2-core machine).
     */
    static final List<Class<?>> COMMANDS = List.of(MountCommand.class, UmountCommand.class, MountsCommand.class,
            ProbeCommand.class, DemoCommand.class, ExplainCommand.class, DiffCommand.class, LayerCommand.class,
            ImageCommand.class, CommitCommand.class, CommandLine.HelpCommand.class);
    /** Each command by the name and aliases in its @Command. */
    private static final Map<String, Class<?>> BY_NAME = byName(COMMANDS);

    @Spec
    CommandSpec spec;

    /** Read by {@link #run(String[], PrintStream, PrintStream)} before parsing, so it also covers parse errors. */
    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing (mount, umount,"
                + " mounts, probe, demo, explain, diff, layer, image or commit)");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String[] argv = fuseOverlayfsForm(args);
        boolean stacktrace = Arrays.asList(argv).contains("--stacktrace");
        PrintWriter errw = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine cl = commandLine(argv);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(errw);
        // classes, not lambdas, for the same reason as in commandLine: picocli's handler types are Java 5 classes
        cl.setExecutionExceptionHandler(new CommandLine.IExecutionExceptionHandler() {
            @Override
            public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
                return ExitCodes.report(ex, cmd.getErr(), stacktrace);
            }
        });
        cl.setParameterExceptionHandler(new CommandLine.IParameterExceptionHandler() {
            @Override
            public int handleParseException(CommandLine.ParameterException ex, String[] args) {
                PrintWriter w = ex.getCommandLine().getErr();
                int code = ExitCodes.report(ex, w, stacktrace);
                w.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more"
                        + " information.");
                return code;
            }
        });
        return cl.execute(argv);
    }

    /**
     * jovl with the command that argv names as its only subcommand, as picocli would see it with all of them;
     * with all of them for anything else (help, no command, an option first, a misspelt command).
     */
    static CommandLine commandLine(String[] argv) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = argv.length > 0 && !argv[0].equals("help") ? BY_NAME.get(argv[0]) : null;
        if (only != null) {
            cl.addSubcommand(only);
        } else {
            // a loop, not forEach(cl::addSubcommand): -Xshare:dump links the classes a lambda involves, and
            // leaves a linked Java 5 class file (all of picocli) out of the launcher's CDS archive
            for (Class<?> c : COMMANDS) {
                cl.addSubcommand(c);
            }
        }
        return cl;
    }

    /** Reading a class's @Command is cheap; building its picocli model is not. */
    private static Map<String, Class<?>> byName(List<Class<?>> commands) {
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> c : commands) {
            Command a = c.getAnnotation(Command.class);
            byName.put(a.name(), c);
            for (String alias : a.aliases()) {
                byName.put(alias, c);
            }
        }
        return byName;
    }

    /** fuse-overlayfs is called as `PROGRAM -o OPTIONS MOUNTPOINT`: that means mount. */
    static String[] fuseOverlayfsForm(String[] args) {
        if (args.length > 0 && args[0].startsWith("-o")) {
            List<String> a = new ArrayList<>(List.of(args));
            a.add(0, "mount");
            return a.toArray(new String[0]);
        }
        return args;
    }
}

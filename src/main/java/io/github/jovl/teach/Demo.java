package io.github.jovl.teach;

import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `jovl demo`: the classic copy-on-write steps on a real mount, each shown as the command, the trees of the
 * layers and the merged view side by side, and one sentence on what happened.
 */
public final class Demo {
    /** Mounts an overlay for the demo; the CLI gives it the real backend choice. */
    public interface Mounter {
        Mounted mount(List<Path> lowersTopFirst, Path upper, Path work, Path mnt) throws Exception;
    }

    /** A mount the demo made; closing it unmounts. */
    public interface Mounted extends AutoCloseable {
        String backend();
    }

    private final Path base;
    private final Mounter mounter;
    private final PrintStream out;
    private final Runnable pause;
    private final Path lower;
    private final Path lower2;
    private final Path upper;
    private final Path work;
    private final Path merged;
    private final List<Path> lowers = new ArrayList<>();
    private int step;

    /** @param pause called between steps (--step waits for Enter there) */
    public Demo(Path base, Mounter mounter, PrintStream out, Runnable pause) {
        this.base = base;
        this.mounter = mounter;
        this.out = out;
        this.pause = pause;
        lower = base.resolve("lower");
        lower2 = base.resolve("lower2");
        upper = base.resolve("upper");
        work = base.resolve("work");
        merged = base.resolve("merged");
    }

    public void run() throws Exception {
        setUp();
        lowers.add(lower);
        Mounted m = mount();
        try {
            seeLowerFile();
            copyUpOnWrite();
            whiteoutOnDelete();
            opaqueOnRecreate();
        } finally {
            m.close();
        }
        out.println("$ jovl umount merged");
        Files.writeString(lower2.resolve("motd"), "message from lower2, the new top lower layer\n");
        lowers.add(0, lower2);
        m = mount();
        try {
            secondLowerShadows();
        } finally {
            m.close();
        }
        out.println("The end.");
    }

    private void setUp() throws IOException {
        for (Path p : List.of(lower, lower2, upper, work, merged)) {
            Files.createDirectories(p);
        }
        Files.writeString(lower.resolve("hello.txt"), "hello from the lower layer\n");
        Files.writeString(lower.resolve("motd"), "message from lower\n");
        Files.createDirectories(lower.resolve("docs"));
        Files.writeString(lower.resolve("docs/readme.txt"), "read me\n");
        Files.writeString(lower.resolve("docs/old.txt"), "outdated\n");
    }

    private Mounted mount() throws Exception {
        Mounted m = mounter.mount(lowers, upper, work, merged);
        List<String> names = lowers.stream().map(p -> p.getFileName().toString()).toList();
        out.println("$ jovl mount -o lowerdir=" + String.join(":", names) + ",upperdir=upper,workdir=work merged"
                + "   (" + m.backend() + " backend, in " + base + ")");
        out.println();
        return m;
    }

    private void seeLowerFile() throws IOException, FsException {
        begin("a file from the lower layer is seen in merged", "cat merged/hello.txt");
        out.print(Files.readString(merged.resolve("hello.txt")));
        end("merged shows lower/hello.txt as it is; nothing has been written to the upper layer yet.");
    }

    private void copyUpOnWrite() throws IOException, FsException {
        begin("writing to it triggers copy-up", "echo 'changed in merged' >> merged/hello.txt");
        Files.writeString(merged.resolve("hello.txt"), "changed in merged\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        out.println("$ cat upper/hello.txt");
        out.print(Files.readString(upper.resolve("hello.txt")));
        out.println("$ cat lower/hello.txt");
        out.print(Files.readString(lower.resolve("hello.txt")));
        end("The first write copied the whole file up into upper/ (built in work/, then renamed into place);"
                + " the write went to the copy, and lower/hello.txt is untouched.");
    }

    private void whiteoutOnDelete() throws IOException, FsException {
        begin("deleting a lower file leaves a whiteout", "rm merged/docs/old.txt");
        Files.delete(merged.resolve("docs/old.txt"));
        Path wh = Files.exists(upper.resolve("docs/old.txt"), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? upper.resolve("docs/old.txt") : upper.resolve("docs/" + Markers.whiteoutName("old.txt"));
        out.println("$ ls -l " + base.relativize(wh));
        out.println(run(base, "ls", "-l", base.relativize(wh).toString()));
        end("The lower layer cannot change, so the upper records the deletion: a whiteout (a 0/0 character"
                + " device, or a .wh. file where mknod is not allowed) hides docs/old.txt in the layers below.");
    }

    private void opaqueOnRecreate() throws IOException, FsException {
        begin("rmdir then mkdir makes an opaque directory", "rm -rf merged/docs && mkdir merged/docs");
        Files.delete(merged.resolve("docs/readme.txt"));
        Files.delete(merged.resolve("docs"));
        Files.createDirectory(merged.resolve("docs"));
        Layer up = new Layer(upper, 0, true);
        for (String x : List.of("trusted.overlay.opaque", "user.overlay.opaque")) {
            byte[] v = up.getxattr(RelPath.of("docs"), x);
            if (v != null) {
                out.println("$ getfattr -n " + x + " upper/docs");
                out.println(x + "=\"" + new String(v, StandardCharsets.UTF_8) + "\"");
            }
        }
        if (Files.exists(upper.resolve("docs/" + Markers.OPAQUE_FILE))) {
            out.println("upper/docs/" + Markers.OPAQUE_FILE + " marks it opaque");
        }
        end("The new docs/ is opaque: it replaces lower/docs instead of merging with it, so readme.txt stays"
                + " gone although the lower layer still has it.");
    }

    private void secondLowerShadows() throws IOException, FsException {
        begin("a second lower layer shadows the first", "cat merged/motd");
        out.print(Files.readString(merged.resolve("motd")));
        end("lowerdir=lower2:lower puts lower2 on top: its motd hides lower's, and the upper (still holding"
                + " the earlier changes) lies above both.");
    }

    private void begin(String title, String command) {
        step++;
        out.println("== Step " + step + ": " + title);
        out.println("$ " + command);
    }

    private void end(String explanation) throws FsException {
        out.println();
        List<List<String>> cols = new ArrayList<>();
        for (int i = lowers.size() - 1; i >= 0; i--) { // bottom layer first, as the eye reads upwards
            cols.add(TreeView.draw(lowers.get(i).getFileName().toString(), lowers.get(i)));
        }
        cols.add(TreeView.draw("upper", upper));
        cols.add(TreeView.draw("merged", merged));
        TreeView.sideBySide(cols).forEach(out::println);
        out.println();
        out.println(explanation);
        out.println();
        pause.run();
    }

    private static String run(Path cwd, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        try {
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

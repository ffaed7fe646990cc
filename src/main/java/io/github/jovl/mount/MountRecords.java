package io.github.jovl.mount;

import io.github.jovl.sys.Native;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What jovl has mounted where, with which backend and layers: the kernel's mount table says a mount exists but
 * not, for a FUSE mount, what it merges. One small file per mount, written when the mount is usable and removed
 * when it goes; a record whose mount is gone (a killed daemon) is ignored and cleaned up on the next read.
 */
public final class MountRecords {
    /** One mount: backend "fuse" or "kernel", lowers top first, upper and work null for a read-only overlay. */
    public record Record(Path mountpoint, String backend, List<Path> lowers, Path upper, Path work, long mountId) {
    }

    private MountRecords() {
    }

    /** /run/jovl/mounts as root, else $XDG_RUNTIME_DIR/jovl/mounts (or /tmp/jovl-UID/mounts without one). */
    public static Path dir() {
        String override = System.getenv("JOVL_RUNTIME_DIR");
        if (override != null && !override.isEmpty()) {
            return Path.of(override, "mounts");
        }
        int uid = Native.geteuid();
        if (uid == 0) {
            return Path.of("/run/jovl/mounts");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isEmpty() ? Path.of(xdg, "jovl", "mounts") : Path.of("/tmp/jovl-" + uid, "mounts");
    }

    private static Path file(Path mountpoint) {
        return dir().resolve(HexFormat.of().formatHex(mountpoint.toAbsolutePath().normalize().toString()
                .getBytes(StandardCharsets.UTF_8)) + ".mount");
    }

    /** Records a mount that has just become usable (the mount ID ties the record to this very mount). */
    public static void save(Record r) throws IOException {
        Properties p = new Properties();
        p.setProperty("mountpoint", r.mountpoint().toAbsolutePath().normalize().toString());
        p.setProperty("backend", r.backend());
        p.setProperty("lowers", String.join("\n", r.lowers().stream().map(Path::toString).toList()));
        if (r.upper() != null) {
            p.setProperty("upper", r.upper().toString());
            p.setProperty("work", r.work().toString());
        }
        p.setProperty("mountId", Long.toString(r.mountId()));
        Files.createDirectories(dir());
        Path target = file(r.mountpoint());
        Path tmp = Files.createTempFile(dir(), ".new", ".mount");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "jovl mount record");
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void remove(Path mountpoint) {
        try {
            Files.deleteIfExists(file(mountpoint));
        } catch (IOException e) {
            // a stale record is ignored on read: nothing is lost if this one stays
        }
    }

    /** The record of the jovl mount at mountpoint, if that mount is still there. */
    public static Optional<Record> find(Path mountpoint) throws IOException {
        Path f = file(mountpoint);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Record r = read(f);
        if (r == null || !live(r, MountTable.read())) {
            remove(mountpoint);
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /** Every live jovl mount, oldest record first; records of mounts that are gone are removed. */
    public static List<Record> active() throws IOException {
        List<Record> out = new ArrayList<>();
        if (!Files.isDirectory(dir())) {
            return out;
        }
        MountTable table = MountTable.read();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".mount")
                    && !x.getFileName().toString().startsWith(".")).sorted().toList()) {
                Record r = read(f);
                if (r != null && live(r, table)) {
                    out.add(r);
                } else {
                    Files.deleteIfExists(f);
                }
            }
        }
        return out;
    }

    private static boolean live(Record r, MountTable table) {
        MountTable.Entry e = table.byId(r.mountId());
        return e != null && e.mountPoint().equals(r.mountpoint());
    }

    private static Record read(Path f) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(in);
            String up = p.getProperty("upper");
            return new Record(Path.of(p.getProperty("mountpoint")), p.getProperty("backend"),
                    Arrays.stream(p.getProperty("lowers", "").split("\n")).filter(s -> !s.isEmpty()).map(Path::of)
                            .toList(), up == null ? null : Path.of(up),
                    up == null ? null : Path.of(p.getProperty("work")), Long.parseLong(p.getProperty("mountId")));
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or half-written by a crash: treated as no record
        }
    }
}

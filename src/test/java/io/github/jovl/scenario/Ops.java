package io.github.jovl.scenario;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.Stat;
import io.github.jovl.sys.Native;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** The vocabulary of scenario steps. Each is one call, or one open-write-close, on the merged view. */
public final class Ops {
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    private static final int W = Native.O_WRONLY;

    private Ops() {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** open(O_WRONLY|O_CREAT|O_TRUNC, 0644), write, close: what a shell's {@code >} does. */
    public static Op write(String path, String content) {
        return new Op("write(" + path + ", \"" + content + "\")", c -> {
            c.driver().write(path, W | Native.O_CREAT | Native.O_TRUNC, 0644, utf8(content), false);
            return null;
        });
    }

    /** open(O_WRONLY|O_CREAT|O_EXCL, 0644) and close. */
    public static Op createExclusive(String path) {
        return new Op("create-excl(" + path + ")", c -> {
            c.driver().write(path, W | Native.O_CREAT | Native.O_EXCL, 0644, new byte[0], false);
            return null;
        });
    }

    /** open(O_WRONLY), write at the end, close: {@code >>} without O_APPEND. */
    public static Op append(String path, String content) {
        return new Op("append(" + path + ", \"" + content + "\")", c -> {
            c.driver().write(path, W, 0, utf8(content), true);
            return null;
        });
    }

    /** open(O_RDWR) and close, writing nothing: the open alone must copy up. */
    public static Op openForWrite(String path) {
        return new Op("open-rdwr(" + path + ")", c -> {
            c.driver().write(path, Native.O_RDWR, 0, new byte[0], false);
            return null;
        });
    }

    /** open(O_WRONLY|O_TRUNC) and close. */
    public static Op openTrunc(String path) {
        return new Op("open-trunc(" + path + ")", c -> {
            c.driver().write(path, W | Native.O_TRUNC, 0, new byte[0], false);
            return null;
        });
    }

    /** The content, as text. */
    public static Op read(String path) {
        return new Op("read(" + path + ")", c -> new String(c.driver().read(path), StandardCharsets.UTF_8));
    }

    /** "kind perms uid:gid nlink=N [size=N] mtime=LABEL". */
    public static Op stat(String path) {
        return new Op("stat(" + path + ")", c -> statLine(c.driver().lstat(path)));
    }

    static String statLine(Stat st) {
        String k = Tree.kind(st.type());
        return k + " " + String.format("%04o", st.permissions()) + " " + st.uid() + ":" + st.gid() + " nlink="
                + st.nlink() + (st.isRegular() || st.isSymlink() ? " size=" + st.size() : "") + " mtime="
                + FixtureTimes.label(st.mtimeNs());
    }

    /** "name:kind" for every entry, sorted, "." and ".." included: names, de-duplication and d_type at once. */
    public static Op readdir(String path) {
        return new Op("readdir(" + path + ")", c -> {
            List<DirEntry> l = c.driver().readdir(path);
            return l.stream().sorted(java.util.Comparator.comparing(DirEntry::name))
                    .map(e -> e.name() + ":" + (e.type() == null ? "unknown" : Tree.kind(e.type())))
                    .collect(Collectors.joining(" "));
        });
    }

    public static Op readlink(String path) {
        return new Op("readlink(" + path + ")", c -> c.driver().readlink(path));
    }

    public static Op mkdir(String path) {
        return mkdir(path, 0755);
    }

    public static Op mkdir(String path, int mode) {
        return new Op("mkdir(" + path + ", " + Integer.toOctalString(mode) + ")", c -> {
            c.driver().mkdir(path, mode);
            return null;
        });
    }

    public static Op mkfifo(String path) {
        return new Op("mkfifo(" + path + ")", c -> {
            c.driver().mknod(path, FileType.FIFO.bits | 0644, 0);
            return null;
        });
    }

    /** mknod of a character device major/minor (0/0 is what a whiteout looks like on disk). */
    public static Op mknodChar(String path, int major, int minor) {
        return new Op("mknod-char(" + path + ", " + major + "/" + minor + ")", c -> {
            c.driver().mknod(path, FileType.CHAR.bits | 0644, io.github.jovl.fs.Stat.makedev(major, minor));
            return null;
        });
    }

    public static Op symlink(String target, String path) {
        return new Op("symlink(" + target + ", " + path + ")", c -> {
            c.driver().symlink(target, path);
            return null;
        });
    }

    public static Op link(String from, String to) {
        return new Op("link(" + from + ", " + to + ")", c -> {
            c.driver().link(from, to);
            return null;
        });
    }

    public static Op unlink(String path) {
        return new Op("unlink(" + path + ")", c -> {
            c.driver().unlink(path);
            return null;
        });
    }

    public static Op rmdir(String path) {
        return new Op("rmdir(" + path + ")", c -> {
            c.driver().rmdir(path);
            return null;
        });
    }

    public static Op rename(String from, String to) {
        return rename(from, to, 0);
    }

    public static Op renameNoReplace(String from, String to) {
        return rename(from, to, RENAME_NOREPLACE);
    }

    public static Op renameExchange(String from, String to) {
        return rename(from, to, RENAME_EXCHANGE);
    }

    private static Op rename(String from, String to, int flags) {
        String f = flags == 0 ? "" : flags == RENAME_NOREPLACE ? ", NOREPLACE" : ", EXCHANGE";
        return new Op("rename(" + from + ", " + to + f + ")", c -> {
            c.driver().rename(from, to, flags);
            return null;
        });
    }

    public static Op chmod(String path, int mode) {
        return new Op("chmod(" + path + ", " + Integer.toOctalString(mode) + ")", c -> {
            c.driver().chmod(path, mode);
            return null;
        });
    }

    public static Op chown(String path, int uid, int gid) {
        return new Op("lchown(" + path + ", " + uid + ":" + gid + ")", c -> {
            c.driver().chown(path, uid, gid);
            return null;
        });
    }

    public static Op truncate(String path, long size) {
        return new Op("truncate(" + path + ", " + size + ")", c -> {
            c.driver().truncate(path, size);
            return null;
        });
    }

    /** Sets atime and mtime to sec (no symlink follow). */
    public static Op utimens(String path, long sec) {
        return new Op("utimens(" + path + ", " + sec + ")", c -> {
            c.driver().utimens(path, sec, 0, sec, 0);
            return null;
        });
    }

    /** utimensat with UTIME_OMIT for both times: a call that changes nothing. */
    public static Op utimensOmitBoth(String path) {
        return new Op("utimens(" + path + ", OMIT, OMIT)", c -> {
            c.driver().utimens(path, 0, Native.UTIME_OMIT, 0, Native.UTIME_OMIT);
            return null;
        });
    }

    public static Op setxattr(String path, String name, String value) {
        return new Op("setxattr(" + path + ", " + name + "=" + value + ")", c -> {
            c.driver().setxattr(path, name, utf8(value), 0);
            return null;
        });
    }

    public static Op getxattr(String path, String name) {
        return new Op("getxattr(" + path + ", " + name + ")",
                c -> new String(c.driver().getxattr(path, name), StandardCharsets.UTF_8));
    }

    /** The names, sorted; security.* and system.* (host labels and ACLs) left out. */
    public static Op listxattr(String path) {
        return new Op("listxattr(" + path + ")", c -> c.driver().listxattr(path).stream()
                .filter(n -> !n.startsWith("security.") && !n.startsWith("system.")).sorted()
                .collect(Collectors.joining(" ")));
    }

    public static Op removexattr(String path, String name) {
        return new Op("removexattr(" + path + ", " + name + ")", c -> {
            c.driver().removexattr(path, name);
            return null;
        });
    }

    /** Opens path (O_RDONLY, O_RDWR...) and keeps it open under label until {@link #closeHeld}. */
    public static Op hold(String label, String path, int oflags) {
        return new Op("hold(" + label + " = open(" + path + ", " + (oflags == Native.O_RDONLY ? "RDONLY"
                : oflags == Native.O_RDWR ? "RDWR" : Integer.toOctalString(oflags)) + "))", c -> {
            c.handles().put(label, c.driver().open(path, oflags));
            return null;
        });
    }

    /** The whole content as read through the held file. */
    public static Op readHeld(String label) {
        return new Op("read-held(" + label + ")",
                c -> new String(c.driver().read(held(c, label)), StandardCharsets.UTF_8));
    }

    /** Writes at offset 0 through the held file. */
    public static Op writeHeld(String label, String content) {
        return new Op("write-held(" + label + ", \"" + content + "\")", c -> {
            c.driver().write(held(c, label), utf8(content), 0);
            return null;
        });
    }

    public static Op closeHeld(String label) {
        return new Op("close-held(" + label + ")", c -> {
            c.driver().close(held(c, label));
            c.handles().remove(label);
            return null;
        });
    }

    private static long held(Op.Ctx c, String label) {
        Long h = c.handles().get(label);
        if (h == null) {
            throw new IllegalStateException("scenario bug: nothing held as " + label);
        }
        return h;
    }

    /** Remembers st_ino of path under label, for {@link #inoSame}. */
    public static Op rememberIno(String label, String path) {
        return new Op("remember-ino(" + label + " = " + path + ")", c -> {
            c.marks().put(label, c.driver().lstat(path).ino());
            return null;
        });
    }

    /** "same" when path's st_ino is the one remembered under label, else "changed". */
    public static Op inoSame(String label, String path) {
        return new Op("ino-same-as(" + label + ", " + path + ")", c -> {
            Long before = c.marks().get(label);
            if (before == null) {
                throw new IllegalStateException("scenario bug: no inode remembered as " + label);
            }
            return before == c.driver().lstat(path).ino() ? "same" : "changed";
        });
    }

    /** "equal" or "different": the st_ino of two names. */
    public static Op inoCompare(String a, String b) {
        return new Op("ino-compare(" + a + ", " + b + ")",
                c -> c.driver().lstat(a).ino() == c.driver().lstat(b).ino() ? "equal" : "different");
    }

    /**
     * "all match" when every entry's d_ino equals the st_ino of the same name, else the names that differ: the
     * kernel keeps them equal when all layers share one filesystem (overlayfs.rst, "Inode properties").
     */
    public static Op dinoMatchesStIno(String dir) {
        return new Op("d_ino-equals-st_ino(" + dir + ")", c -> {
            List<String> bad = new java.util.ArrayList<>();
            for (DirEntry e : c.driver().readdir(dir)) {
                if (e.name().equals(".") || e.name().equals("..")) {
                    continue;
                }
                String p = dir.isEmpty() ? e.name() : dir + "/" + e.name();
                if (c.driver().lstat(p).ino() != e.ino()) {
                    bad.add(e.name());
                }
            }
            bad.sort(null);
            return bad.isEmpty() ? "all match" : "differ for " + bad;
        });
    }

    /** Stop and start again on the same layers (engine reopened, or unmount and mount). */
    public static Op remount() {
        return new Op("remount()", c -> {
            c.driver().remount();
            return null;
        });
    }

    /** A name of 256 bytes: one more than NAME_MAX. */
    public static String tooLongName() {
        return "n".repeat(256);
    }
}

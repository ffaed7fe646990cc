package io.github.jovl.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code -o} the way the kernel and fuse-overlayfs do, so jovl can stand in for either. Every option
 * gets one of four fates, and none is silently misread:
 *
 * <pre>
 * option                                   fate
 * ---------------------------------------  ---------------------------------------------------------------
 * lowerdir=A:B (top first), lowerdir+=A    the lower layers; '\' escapes ':' and ','; at least 2 without
 * upperdir=U, workdir=W                    an upperdir (the kernel's rule); '::' data-only layers: rejected
 * userxattr                                markers in user.overlay.* (xattr namespace USER)
 * volatile, fsync=0                        no fsync of copied-up files (fsync=1: the default)
 * redirect_dir=off|nofollow, index=off,    accepted: what jovl does anyway
 *   metacopy=off, nfs_export=off, xino=off,
 *   verity=off, uuid=off|null|auto
 * redirect_dir=follow                      warning: redirects in lower layers are not followed
 * xino=on|auto                             warning: jovl's inode numbers are unique and stable without it
 * uuid=on                                  warning: only matters with index or nfs_export
 * redirect_dir=on, index=on, metacopy=on,  REJECTED: not implemented; the layers they would write could
 *   nfs_export=on, verity=on|require,        not be read back the same way
 *   datadir+=
 * ro / rw                                  read-only mount (also forced without an upperdir) / the default;
 *                                          the later one wins
 * whiteout=auto|chardev|whfile             jovl: how whiteouts are written (auto: chardev where mknod works)
 * xattr_namespace=auto|trusted|user        jovl: namespace of the markers jovl writes
 * cache=on|off                             jovl: the engine's lookup cache
 * threaded=0|1                             fuse-overlayfs: single- or multi-threaded FUSE loop
 * timeout=SECONDS                          fuse-overlayfs: becomes entry_timeout and attr_timeout
 * noacl, static_nlink                      fuse-overlayfs: accepted, no effect (no ACLs; dirs nlink 1)
 * squash_to_root, squash_to_uid/gid=,      REJECTED: ownership mapping is not implemented, and ignoring
 *   uidmapping=, gidmapping=,                it would show wrong owners
 *   xattr_permissions=, plugins=, noxattrs=
 * fast_ino=, writeback=                    warning: ignored
 * context=, fscontext=, defcontext=,       warning: SELinux labels are not applied
 *   rootcontext=
 * nosuid nodev noexec suid dev exec        passed to FUSE (kernel mount flags)
 *   sync async dirsync atime noatime
 * relatime                                 accepted: the kernel default
 * strictatime, nodiratime, lazytime        warning: not supported by libfuse2; ignored
 * defaults auto noauto nofail _netdev      accepted, no effect: they are for mount(8) and fstab
 *   user users nouser owner comment= x-*
 * allow_other allow_root default_          passed to FUSE (see FUSE_OPTIONS)
 *   permissions fsname= subtype= ...
 * nopath, modules=, blkdev, blksize=       REJECTED: they change what paths or device jovl is given
 * anything else                            REJECTED: unknown option
 * </pre>
 */
public final class MountOptionParser {
    /** libfuse 2.9 options that go through unchanged; jovl sets sensible defaults for some of them. */
    static final Set<String> FUSE_FLAGS = Set.of("allow_other", "allow_root", "auto_unmount", "default_permissions",
            "kernel_cache", "auto_cache", "noauto_cache", "direct_io", "big_writes", "no_remote_lock",
            "no_remote_posix_lock", "no_remote_flock", "async_read", "sync_read", "atomic_o_trunc", "intr",
            "readdir_ino", "hard_remove", "use_ino", "nonempty", "large_read", "splice_read", "no_splice_read",
            "splice_write", "no_splice_write", "splice_move", "no_splice_move", "nosuid", "nodev", "noexec",
            "suid", "dev", "exec", "sync", "async", "dirsync", "atime", "noatime");
    static final Set<String> FUSE_VALUES = Set.of("fsname", "subtype", "max_read", "max_write", "max_readahead",
            "max_background", "congestion_threshold", "entry_timeout", "negative_timeout", "attr_timeout",
            "ac_attr_timeout", "umask", "uid", "gid", "intr_signal", "remember");
    private static final Set<String> NUMERIC = Set.of("max_read", "max_write", "max_readahead", "max_background",
            "congestion_threshold", "entry_timeout", "negative_timeout", "attr_timeout", "ac_attr_timeout", "uid",
            "gid", "intr_signal", "remember", "timeout");
    private static final Set<String> IGNORED_FLAGS = Set.of("defaults", "auto", "noauto", "nofail", "_netdev",
            "user", "users", "nouser", "owner", "relatime", "noacl", "static_nlink");
    private static final Set<String> NOT_IN_LIBFUSE2 = Set.of("strictatime", "nodiratime", "diratime", "lazytime",
            "nostrictatime", "norelatime", "nolazytime", "iversion", "noiversion", "mand", "nomand", "silent",
            "loud");
    private static final Map<String, String> REJECTED = new LinkedHashMap<>();

    static {
        REJECTED.put("datadir+", "data-only lower layers are not implemented");
        for (String o : List.of("squash_to_root", "squash_to_uid", "squash_to_gid", "uidmapping", "gidmapping",
                "xattr_permissions")) {
            REJECTED.put(o, "ownership and permission mapping is not implemented, and ignoring it would show"
                    + " wrong owners");
        }
        REJECTED.put("plugins", "fuse-overlayfs plugins do not exist in jovl");
        REJECTED.put("noxattrs", "xattrs cannot be turned off in jovl");
        REJECTED.put("nopath", "jovl needs the path of every request");
        REJECTED.put("modules", "libfuse modules (subdir, iconv) would change the paths jovl is given");
        REJECTED.put("blkdev", "jovl is not a block-device filesystem");
        REJECTED.put("blksize", "jovl is not a block-device filesystem");
        REJECTED.put("debug", "use jovl mount -d");
    }

    private final List<Path> lowers = new ArrayList<>();
    private String lowerForm;
    private Path upper;
    private Path work;
    private WhiteoutFormat whiteout = WhiteoutFormat.AUTO;
    private XattrNamespace ns = XattrNamespace.AUTO;
    private boolean cache = true;
    private boolean sync = true;
    private boolean readOnly;
    private Boolean threaded;
    private final Map<String, String> fuse = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private MountOptionParser() {
    }

    public static MountOptions parse(List<String> dashO) throws MountOptionException {
        MountOptionParser p = new MountOptionParser();
        for (String group : dashO) {
            for (String token : OptionSyntax.split(group, ',')) {
                if (!token.isEmpty()) {
                    p.option(token);
                }
            }
        }
        return p.finish();
    }

    private void option(String token) throws MountOptionException {
        int eq = token.indexOf('=');
        String key = eq < 0 ? token : token.substring(0, eq);
        String raw = eq < 0 ? null : token.substring(eq + 1);
        String value = raw == null ? null : OptionSyntax.unescape(raw);
        if (NUMERIC.contains(key)) {
            number(key, value);
        }
        switch (key) {
            case "lowerdir" -> lowerdir(raw);
            case "lowerdir+" -> lowerPlus(value);
            case "upperdir" -> upper = path(key, value);
            case "workdir" -> work = path(key, value);
            case "userxattr" -> flag(key, value, () -> ns = XattrNamespace.USER);
            case "volatile" -> flag(key, value, () -> sync = false);
            case "fsync" -> sync = choice(key, value, "1", "0").equals("1");
            case "ro" -> flag(key, value, () -> readOnly = true);
            case "rw" -> flag(key, value, () -> readOnly = false);
            case "whiteout" -> whiteout = WhiteoutFormat.valueOf(choice(key, value, "auto", "chardev", "whfile")
                    .toUpperCase());
            case "xattr_namespace" -> ns = XattrNamespace.valueOf(choice(key, value, "auto", "trusted", "user")
                    .toUpperCase());
            case "cache" -> cache = choice(key, value, "on", "off").equals("on");
            case "threaded" -> threaded = choice(key, value, "1", "0").equals("1");
            case "timeout" -> {
                fuse.put("entry_timeout", value);
                fuse.put("attr_timeout", value);
            }
            case "redirect_dir" -> {
                if (choice(key, value, "off", "nofollow", "follow", "on").equals("on")) {
                    throw unsupported(token, "directory redirects are not implemented (renaming a merged"
                            + " directory gives EXDEV, as with redirect_dir=off)");
                }
                if (value.equals("follow")) {
                    warnings.add(token + ": redirects in lower layers are not followed");
                }
            }
            case "index", "metacopy", "nfs_export" -> {
                if (choice(key, value, "off", "on").equals("on")) {
                    throw unsupported(token, key + " is not implemented");
                }
            }
            case "verity" -> {
                if (!choice(key, value, "off", "on", "require").equals("off")) {
                    throw unsupported(token, "fs-verity digests are not implemented");
                }
            }
            case "xino" -> {
                if (!choice(key, value, "off", "on", "auto").equals("off")) {
                    warnings.add(token + ": ignored; jovl's inode numbers are unique and stable without xino");
                }
            }
            case "uuid" -> {
                if (choice(key, value, "off", "null", "auto", "on").equals("on")) {
                    warnings.add(token + ": ignored; a uuid only matters with index or nfs_export");
                }
            }
            case "fast_ino", "writeback" -> warnings.add(token + ": ignored");
            case "context", "fscontext", "defcontext", "rootcontext" ->
                    warnings.add(token + ": ignored; jovl does not apply SELinux labels");
            case "comment" -> {
            }
            default -> other(key, value, token);
        }
    }

    private void other(String key, String value, String token) throws MountOptionException {
        if (key.startsWith("x-") || IGNORED_FLAGS.contains(key) && value == null) {
            return;
        }
        if (NOT_IN_LIBFUSE2.contains(key) && value == null) {
            warnings.add(token + ": ignored; FUSE (libfuse2) mounts do not support it");
            return;
        }
        if (REJECTED.containsKey(key)) {
            throw unsupported(token, REJECTED.get(key));
        }
        if (FUSE_FLAGS.contains(key)) {
            flag(key, value, () -> fuse.put(key, null));
            return;
        }
        if (FUSE_VALUES.contains(key)) {
            if (value == null || value.isEmpty()) {
                throw new MountOptionException("mount option '" + key + "' needs a value (" + key + "=...)");
            }
            fuse.put(key, value);
            return;
        }
        throw new MountOptionException("unknown mount option '" + token + "' (jovl mount --help lists them)");
    }

    private void lowerdir(String raw) throws MountOptionException {
        if ("lowerdir+".equals(lowerForm)) {
            throw new MountOptionException("lowerdir= and lowerdir+= cannot be mixed");
        }
        if (raw == null || raw.isEmpty()) {
            throw new MountOptionException("lowerdir= needs at least one directory");
        }
        lowers.clear();
        lowerForm = "lowerdir";
        for (String l : OptionSyntax.split(raw, ':')) {
            if (l.isEmpty()) {
                throw new MountOptionException("lowerdir=" + raw + ": an empty layer ('::' marks data-only"
                        + " layers, which jovl does not implement; a ':' in a name is written '\\:')");
            }
            lowers.add(Path.of(OptionSyntax.unescape(l)));
        }
    }

    private void lowerPlus(String value) throws MountOptionException {
        if ("lowerdir".equals(lowerForm)) {
            throw new MountOptionException("lowerdir= and lowerdir+= cannot be mixed");
        }
        lowerForm = "lowerdir+";
        lowers.add(path("lowerdir+", value));
    }

    private MountOptions finish() throws MountOptionException {
        if (lowers.isEmpty()) {
            throw new MountOptionException("lowerdir= is missing: give the lower layers, e.g."
                    + " -o lowerdir=/lower,upperdir=/upper,workdir=/work");
        }
        if (upper != null && work == null) {
            throw new MountOptionException("upperdir= needs workdir= as well (an empty directory on the"
                    + " upper's filesystem)");
        }
        if (upper == null && work != null) {
            throw new MountOptionException("workdir= needs upperdir= as well");
        }
        if (upper == null && lowers.size() < 2) {
            throw new MountOptionException("without upperdir= the kernel needs at least 2 lower layers; add"
                    + " an upperdir and workdir, or a second lowerdir");
        }
        if (lowers.size() > OverlayConfig.MAX_LOWERS) {
            throw new MountOptionException("lowerdir= has " + lowers.size() + " layers; the limit is "
                    + OverlayConfig.MAX_LOWERS);
        }
        List<String> fo = new ArrayList<>();
        fuse.forEach((k, v) -> fo.add(v == null ? k : k + "=" + v));
        return new MountOptions(lowers, upper, work, whiteout, ns, cache, sync, readOnly, threaded, fo, warnings);
    }

    private interface Setter {
        void set();
    }

    private static void flag(String key, String value, Setter s) throws MountOptionException {
        if (value != null) {
            throw new MountOptionException("mount option '" + key + "' takes no value (got '" + key + "="
                    + value + "')");
        }
        s.set();
    }

    private static Path path(String key, String value) throws MountOptionException {
        if (value == null || value.isEmpty()) {
            throw new MountOptionException(key + "= needs a directory");
        }
        return Path.of(value);
    }

    private static String choice(String key, String value, String... allowed) throws MountOptionException {
        for (String a : allowed) {
            if (a.equals(value)) {
                return a;
            }
        }
        throw new MountOptionException("mount option '" + key + (value == null ? "" : "=" + value)
                + "': expected " + key + "=" + String.join("|", allowed));
    }

    private static void number(String key, String value) throws MountOptionException {
        try {
            if (value == null || Double.parseDouble(value) < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new MountOptionException("mount option '" + key + "' needs a number (" + key + "=N)");
        }
    }

    private static MountOptionException unsupported(String token, String why) {
        return new MountOptionException("mount option '" + token + "' is not supported: " + why);
    }
}

package io.github.jovl.whiteout;

import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How overlay markers are stored on disk, kept apart from what they mean. Reading understands every form the
 * kernel, fuse-overlayfs and AUFS write; writing uses the configured form.
 */
public final class Markers {
    public static final String WH_PREFIX = ".wh.";
    public static final String OPAQUE_FILE = ".wh..wh..opq";
    private static final String[] OPAQUE_XATTRS = {
        "trusted.overlay.opaque", "user.overlay.opaque", "user.fuseoverlayfs.opaque"};
    private static final String[] WHITEOUT_XATTRS = {"trusted.overlay.whiteout", "user.overlay.whiteout"};
    private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);

    private final boolean chardevWhiteouts;
    private final XattrNamespace namespace;
    private final boolean xattrOpaque;

    /**
     * @param chardevWhiteouts write 0/0 char devices (else .wh. files)
     * @param namespace the namespace of the opaque xattr written
     * @param xattrOpaque false where the upper takes no xattrs at all: then opacity is a .wh..wh..opq file
     */
    public Markers(boolean chardevWhiteouts, XattrNamespace namespace, boolean xattrOpaque) {
        this.chardevWhiteouts = chardevWhiteouts;
        this.namespace = namespace;
        this.xattrOpaque = xattrOpaque;
    }

    public boolean chardevWhiteouts() {
        return chardevWhiteouts;
    }

    public XattrNamespace namespace() {
        return namespace;
    }

    /** Names that are storage, never shown: ".wh.*" files of the AUFS form. */
    public static boolean isMarkerName(String name) {
        return name.startsWith(WH_PREFIX);
    }

    public static String whiteoutName(String name) {
        return WH_PREFIX + name;
    }

    /** The xattrs that belong to the overlay itself and never pass through it. */
    public static boolean isPrivateXattr(String name) {
        return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")
                || name.startsWith("user.fuseoverlayfs.");
    }

    public static boolean isChardevWhiteout(Stat st) {
        return (st.mode() & FileType.S_IFMT) == FileType.CHAR.bits && st.rdev() == 0;
    }

    /**
     * Whether an entry is a whiteout. A zero-size regular file is one only when it carries overlay.whiteout and
     * its directory is marked as holding such whiteouts (opaque=x), as the kernel reads them.
     */
    public boolean isWhiteout(Layer layer, RelPath p, Stat st, boolean dirHasXattrWhiteouts) throws FsException {
        if (isChardevWhiteout(st)) {
            return true;
        }
        if (dirHasXattrWhiteouts && st.isRegular() && st.size() == 0) {
            for (String x : WHITEOUT_XATTRS) {
                if (layer.getxattr(p, x) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether ".wh.NAME" hides NAME in this layer. */
    public boolean hasWhiteoutFile(Layer layer, RelPath p) throws FsException {
        if (p.isRoot()) {
            return false;
        }
        return layer.lstat(p.parent().child(whiteoutName(p.name()))) != null;
    }

    /** The opacity of a real directory of a layer. */
    public DirMarks dirMarks(Layer layer, RelPath dir) throws FsException {
        boolean opaque = false;
        boolean xwhiteouts = false;
        List<String> names = layer.listxattr(dir);
        for (String x : OPAQUE_XATTRS) {
            if (names.contains(x)) {
                byte[] v = layer.getxattr(dir, x);
                if (v != null && v.length == 1 && v[0] == 'x') {
                    xwhiteouts = true;
                } else if (v != null) {
                    opaque = true;
                }
            }
        }
        if (!opaque && layer.lstat(dir.child(OPAQUE_FILE)) != null) {
            opaque = true;
        }
        boolean impure = names.contains("trusted.overlay.impure") || names.contains("user.overlay.impure");
        return new DirMarks(opaque, xwhiteouts, impure);
    }

    /**
     * The marks of a directory in one layer. xwhiteouts: entries may be xattr whiteouts; impure: some entries
     * were copied up or moved here and carry the inode number of their origin.
     */
    public record DirMarks(boolean opaque, boolean xwhiteouts, boolean impure) {
    }

    /**
     * Marks an upper directory as holding copied-up entries (the kernel's overlay.impure). Returns true when the
     * mark is new, so the caller knows the directory's marks changed.
     */
    public boolean markImpure(Layer upper, RelPath dir) throws FsException {
        if (!xattrOpaque || upper.getxattr(dir, namespace.prefix() + "impure") != null) {
            return false;
        }
        upper.setxattr(dir, namespace.prefix() + "impure", YES, 0);
        return true;
    }

    /** How this engine marks a directory opaque, in words for traces: the xattr name or the file name. */
    public String opaqueForm() {
        return xattrOpaque ? namespace.prefix() + "opaque=y" : OPAQUE_FILE;
    }

    /** Marks an upper directory opaque. */
    public void setOpaque(Layer upper, RelPath dir) throws FsException {
        if (xattrOpaque) {
            upper.setxattr(dir, namespace.prefix() + "opaque", YES, 0);
        } else {
            upper.mknod(dir.child(OPAQUE_FILE), FileType.REGULAR.bits, 0);
        }
    }

    /**
     * Creates a whiteout at tmp (a name in the workdir) for the char-device form, to be renamed over the real
     * name by the caller, so the switch is atomic.
     */
    public void makeChardevWhiteout(Layer work, RelPath tmp) throws FsException {
        work.mknod(tmp, FileType.CHAR.bits, 0);
    }

    /** Creates the ".wh.NAME" file that hides NAME in the layers below. */
    public void makeWhiteoutFile(Layer upper, RelPath p) throws FsException {
        upper.mknod(p.parent().child(whiteoutName(p.name())), FileType.REGULAR.bits, 0);
    }

    /** Removes whatever marker sits at p in the upper (a char device whiteout or a .wh. file). */
    public void removeWhiteout(Layer upper, RelPath p) throws FsException {
        Stat st = upper.lstat(p);
        if (st != null && isChardevWhiteout(st)) {
            upper.unlink(p);
        }
        RelPath wh = p.parent().child(whiteoutName(p.name()));
        if (upper.lstat(wh) != null) {
            upper.unlink(wh);
        }
    }
}

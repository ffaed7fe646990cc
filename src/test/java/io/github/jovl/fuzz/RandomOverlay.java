package io.github.jovl.fuzz;

import static io.github.jovl.scenario.LayerSpec.layer;

import io.github.jovl.scenario.LayerSpec;
import io.github.jovl.scenario.Layers;
import io.github.jovl.scenario.Op;
import io.github.jovl.scenario.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded random overlay and operation sequence. Names come from a small pool, so operations collide with each
 * other and with what the lowers hold: a rename lands on a whiteout, an rmdir meets a merged directory, a chmod
 * copies up a file that a later link needs. Only the kernel's marker forms are used, so the kernel can judge.
 */
public final class RandomOverlay {
    private static final String[] TOP = {"a", "b", "c", "d"};
    private static final String[] CHILD = {"x", "y", "z"};
    /** Every path the operations touch: the top names and one level below. */
    private static final List<String> PATHS = new ArrayList<>();

    static {
        for (String t : TOP) {
            PATHS.add(t);
            for (String c : CHILD) {
                PATHS.add(t + "/" + c);
            }
        }
    }

    /** Checkpoints every this many operations: the views are compared there, not only at the end. */
    public static final int CHECKPOINT = 25;

    private RandomOverlay() {
    }

    /** Two or three lowers, top first, each a random mix of files, dirs, symlinks, whiteouts, opaque dirs. */
    public static Layers layers(Random r) {
        int n = 2 + r.nextInt(2);
        LayerSpec[] lowers = new LayerSpec[n];
        for (int i = 0; i < n; i++) {
            lowers[i] = lower(r, i);
        }
        return Layers.lowers(lowers);
    }

    private static LayerSpec lower(Random r, int index) {
        LayerSpec l = layer();
        for (String t : TOP) {
            int k = r.nextInt(10);
            if (k < 3) {
                continue; // absent here
            } else if (k < 5) {
                l.file(t, "L" + index + t);
            } else if (k < 8) {
                boolean opaque = k == 7;
                if (opaque) {
                    l.opaque(t);
                } else {
                    l.dir(t);
                }
                for (String c : CHILD) {
                    // a whiteout inside an opaque dir of its own layer hides nothing (import never writes one)
                    int ck = opaque ? new int[] {0, 1, 2, 4, 5}[r.nextInt(5)] : r.nextInt(6);
                    String p = t + "/" + c;
                    switch (ck) {
                        case 0, 1 -> l.file(p, "L" + index + p);
                        case 2 -> l.dir(p);
                        case 3 -> l.whiteout(p);
                        case 4 -> l.symlink(p, target(r));
                        default -> { }
                    }
                }
            } else if (k == 8) {
                l.whiteout(t);
            } else {
                l.symlink(t, target(r));
            }
        }
        return l;
    }

    /**
     * A symlink target without "..": renames move links between levels, and a ".." target moved to the top
     * would lead out of the mount, where the kernel reaches host directories that no driver can compare.
     */
    private static String target(Random r) {
        return r.nextBoolean() ? TOP[r.nextInt(TOP.length)] : CHILD[r.nextInt(CHILD.length)];
    }

    /** n operations, with a checkpoint (listing and reads) after every {@link #CHECKPOINT}. */
    public static List<Op> ops(Random r, int n) {
        return ops(r, n, true);
    }

    /** renameFlags false: no RENAME_NOREPLACE/EXCHANGE, which libfuse2 refuses (EINVAL) before a FUSE fs sees them. */
    public static List<Op> ops(Random r, int n, boolean renameFlags) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Op o = op(r, i);
            while (!renameFlags && (o.toString().contains("NOREPLACE") || o.toString().contains("EXCHANGE"))) {
                o = op(r, i);
            }
            ops.add(o);
            if ((i + 1) % CHECKPOINT == 0) {
                ops.addAll(checkpoint(r));
            }
        }
        ops.addAll(checkpoint(r));
        return ops;
    }

    private static List<Op> checkpoint(Random r) {
        List<Op> c = new ArrayList<>();
        c.add(Ops.readdir(""));
        String dir = TOP[r.nextInt(TOP.length)];
        c.add(Ops.readdir(dir));
        c.add(Ops.stat(path(r)));
        c.add(Ops.read(path(r)));
        return c;
    }

    private static String path(Random r) {
        return PATHS.get(r.nextInt(PATHS.size()));
    }

    private static Op op(Random r, int i) {
        String p = path(r);
        String q = path(r);
        return switch (r.nextInt(20)) {
            case 0, 1 -> Ops.write(p, "w" + i);
            case 2 -> Ops.append(p, "+" + i);
            case 3 -> Ops.createExclusive(p);
            case 4 -> Ops.openTrunc(p);
            case 5 -> Ops.truncate(p, r.nextInt(6));
            case 6 -> Ops.mkdir(p);
            case 7 -> Ops.rmdir(p);
            case 8, 9 -> Ops.unlink(p);
            case 10 -> Ops.rename(p, q);
            case 11 -> r.nextBoolean() ? Ops.renameNoReplace(p, q) : Ops.renameExchange(p, q);
            case 12 -> Ops.link(p, q);
            case 13 -> Ops.symlink(q, p);
            case 14 -> Ops.chmod(p, new int[] {0644, 0600, 0755, 0700}[r.nextInt(4)]);
            case 15 -> Ops.chown(p, r.nextBoolean() ? 0 : 1000, r.nextBoolean() ? 0 : 1000);
            case 16 -> Ops.setxattr(p, r.nextBoolean() ? "user.k" : "user.m", "v" + i);
            case 17 -> Ops.removexattr(p, r.nextBoolean() ? "user.k" : "user.m");
            case 18 -> Ops.utimens(p, 1_000_000_000L + i);
            default -> Ops.stat(p);
        };
    }
}

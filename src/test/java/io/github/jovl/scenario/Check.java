package io.github.jovl.scenario;

/** A fact the end state of a scenario must show. */
public interface Check {
    /** Null when the outcome satisfies it, else what is wrong. */
    String verify(Outcome o);
}

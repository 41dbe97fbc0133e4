package dev.canonic.backend;

/** Reductions along one axis. */
public enum ReduceKind { SUM, MAX }

package dev.mcgate.config;

/** A value as written in the file, with the line it came from, so that later checks can still name the line. */
record Sourced<T>(T value, int line) {}

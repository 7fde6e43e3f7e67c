/**
 * Immutable configuration records, the native parser, the igmpproxy.conf reader and validation. Errors name file:line.
 *
 * <p>Threads: pure values and functions, safe on any thread.
 */
package dev.mcgate.config;

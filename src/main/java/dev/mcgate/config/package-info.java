/**
 * Immutable configuration records, the native parser, the igmpproxy.conf reader and validation. Errors name file:line.
 *
 * <p>Entry points: {@link dev.mcgate.config.ConfigLoader#load} (either syntax, all errors of a file in one
 * {@link dev.mcgate.config.ConfigException}), {@link dev.mcgate.config.EffectiveConfigRenderer#render} (what
 * {@code mcgate check-config} prints) and {@link dev.mcgate.config.ConfigDiff#between} (what a reload changes).
 * Parsing goes text → {@code ConfigLines} → {@code NativeParser} or {@code IgmpproxyParser} → {@code ConfigDraft}
 * → {@code ConfigResolver} (defaults, cross checks) → {@link dev.mcgate.config.McgateConfig}. Nothing here logs:
 * warnings are returned.
 *
 * <p>Threads: pure values and functions, safe on any thread.
 */
package dev.mcgate.config;

/**
 * The IGMP router side on each downstream interface (RFC 2236, RFC 3376 §6-7 / RFC 9776): querier election, general and group(-and-source)-specific queries, group and source timers, older-version compatibility.
 *
 * <p>Threads: loop thread only.
 */
package dev.mcgate.igmp;

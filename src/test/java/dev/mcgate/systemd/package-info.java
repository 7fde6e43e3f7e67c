/** Tests of the files in systemd/: the unit, the sysusers entry and the wrapper script. */
package dev.mcgate.systemd;

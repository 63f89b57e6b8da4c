/// DeviceLab: a private OpenSSH sshd on loopback serving emulated network devices, for the
/// tests and for `driftwatch demo`.
public enum DeviceLabModule {}

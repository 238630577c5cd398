/// Everything needed to open one MQTT session.
public struct MQTTOptions: Sendable {
    public struct Will: Sendable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: Int32
        public var retain: Bool
        public init(topic: String, payload: String, qos: Int32 = 1, retain: Bool = true) {
            self.topic = topic
            self.payload = Array(payload.utf8)
            self.qos = qos
            self.retain = retain
        }
    }

    public struct TLS: Sendable {
        public var caFile: String
        public var certFile: String?
        public var keyFile: String?
        public init(caFile: String, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    public var host: String
    public var port: Int
    public var clientID: String
    /// false keeps a persistent session: the broker queues QoS 1 messages while we are away.
    public var cleanSession: Bool
    public var keepaliveSeconds: Int
    public var username: String?
    public var password: String?
    public var tls: TLS?
    public var will: Will?
    public var reconnectDelayMin: UInt32 = 1
    public var reconnectDelayMax: UInt32 = 30
    /// The network thread reads the socket ahead, 64 KiB at a time (`SocketReadAhead`), when the
    /// connection is plain TCP: for the daemon's ingest connection, where libmosquitto's
    /// per-packet reads were most of its system calls. TLS reads stay OpenSSL's own.
    public var readAhead = false

    public init(
        host: String, port: Int, clientID: String, cleanSession: Bool = false, keepaliveSeconds: Int = 30,
        username: String? = nil, password: String? = nil, tls: TLS? = nil, will: Will? = nil
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepaliveSeconds = keepaliveSeconds
        self.username = username
        self.password = password
        self.tls = tls
        self.will = will
    }
}

import FleetCore

/// What rules and kinds are called in each language, and the action a recommendation proposes
/// for a device whose faults come from a rule.
enum RuleVocabulary {
    private static let chineseRules: [String: String] = [
        "offline": "离线", "fault": "设备故障", "degraded": "性能下降", "repeated-failure": "重复故障",
        "site-outage": "站点停运", "core-down": "核心设备全部离线", "fleet-outage": "全网停运",
        "broker-unreachable": "消息服务器不可达", "storage-failure": "存储故障", "battery-low": "电量低",
        "doors-faulted": "柜门故障", "camera-down": "摄像头故障", "display-down": "显示屏故障",
        "recognition-slow": "识别缓慢", "battery-forecast": "电量预测", "data-loss": "数据丢失",
        "reboot-loop": "反复重启", "error": "错误码", "broker-dropping": "消息服务器丢包",
    ]

    private static let chineseKinds: [String: String] = [
        "delivery-robot": "送书机器人", "pickup-locker": "取书柜", "digital-human": "数字人", "face-gate": "人脸识别闸机",
    ]

    static func rule(_ rule: String, _ language: ReportLanguage) -> String {
        guard language == .zhCN, let name = chineseRules[rule] else { return rule }
        return name
    }

    static func kind(_ kind: String, _ language: ReportLanguage) -> String {
        guard language == .zhCN, let name = chineseKinds[kind] else { return kind }
        return name
    }

    /// The action for a device's repeated faults of `rule`, by the part the rule watches.
    static func action(for rule: String, _ language: ReportLanguage) -> String {
        let zh = language == .zhCN
        let name = rule.lowercased()
        if name.contains("camera") { return zh ? "检修或更换摄像头模组" : "inspect or replace the camera module" }
        if name.contains("display") { return zh ? "检修或更换显示屏" : "inspect or replace the display" }
        if name.contains("door") { return zh ? "检修柜门及门控板" : "inspect the locker doors and the door controller" }
        if name.contains("battery") {
            return zh
                ? "检查电池与充电桩，电池不能保持电量时予以更换"
                : "check the battery and the charging dock; replace the battery if it no longer holds its charge"
        }
        if name.contains("recognition") {
            return zh ? "检查闸机算力负载、网络及现场光照" : "check the gate's compute load, its network and the lighting"
        }
        switch rule {
        case "offline":
            return zh
                ? "检查设备供电与网络连接（网线、无线信号、交换机端口）"
                : "check the device's power supply and network connection (cable, Wi-Fi signal, switch port)"
        case "site-outage", "core-down", "fleet-outage":
            return zh ? "检查分馆网络出口与供电（UPS）" : "check the branch's network uplink and power supply (UPS)"
        case "data-loss":
            return zh ? "检查无线及网络链路质量" : "check the quality of the wireless and network link"
        case "reboot-loop":
            return zh ? "检查电源与固件，必要时升级固件或返修" : "check the power supply and firmware; upgrade or return it for repair"
        case "fault", "degraded", "error", "repeated-failure":
            return zh
                ? "按厂商故障码排查，必要时返厂维修"
                : "run the vendor's diagnostics for its error codes; return it for repair if needed"
        default:
            return zh ? "安排现场检查，查明根本原因" : "inspect it on site to find the root cause"
        }
    }
}

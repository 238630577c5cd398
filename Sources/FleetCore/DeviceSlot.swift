/// A device's place in the registry: its index in the device array, stable for the life of the
/// engine (devices are never removed while it runs). Side tables of the engine's parts are keyed
/// or indexed by it.
public typealias DeviceSlot = Int32

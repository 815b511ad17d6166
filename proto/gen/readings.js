/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const energymonitor = $root.energymonitor = (() => {

    /**
     * Namespace energymonitor.
     * @exports energymonitor
     * @namespace
     */
    const energymonitor = {};

    energymonitor.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof energymonitor
         * @namespace
         */
        const v1 = {};

        /**
         * Quantity enum.
         * @name energymonitor.v1.Quantity
         * @enum {number}
         * @property {number} QUANTITY_UNSPECIFIED=0 QUANTITY_UNSPECIFIED value
         * @property {number} POWER_W=1 POWER_W value
         * @property {number} ENERGY_WH=2 ENERGY_WH value
         * @property {number} VOLTAGE_V=3 VOLTAGE_V value
         * @property {number} CURRENT_A=4 CURRENT_A value
         * @property {number} POWER_FACTOR=5 POWER_FACTOR value
         * @property {number} FREQUENCY_HZ=6 FREQUENCY_HZ value
         * @property {number} REACTIVE_POWER_VAR=7 REACTIVE_POWER_VAR value
         * @property {number} TEMPERATURE_C=8 TEMPERATURE_C value
         */
        v1.Quantity = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "QUANTITY_UNSPECIFIED"] = 0;
            values[valuesById[1] = "POWER_W"] = 1;
            values[valuesById[2] = "ENERGY_WH"] = 2;
            values[valuesById[3] = "VOLTAGE_V"] = 3;
            values[valuesById[4] = "CURRENT_A"] = 4;
            values[valuesById[5] = "POWER_FACTOR"] = 5;
            values[valuesById[6] = "FREQUENCY_HZ"] = 6;
            values[valuesById[7] = "REACTIVE_POWER_VAR"] = 7;
            values[valuesById[8] = "TEMPERATURE_C"] = 8;
            return values;
        })();

        v1.Measurement = (function() {

            /**
             * Properties of a Measurement.
             * @memberof energymonitor.v1
             * @interface IMeasurement
             * @property {string|null} [deviceId] Measurement deviceId
             * @property {energymonitor.v1.Quantity|null} [quantity] Measurement quantity
             * @property {number|null} [value] Measurement value
             * @property {number|null} [timestampMs] Measurement timestampMs
             */

            /**
             * Constructs a new Measurement.
             * @memberof energymonitor.v1
             * @classdesc Represents a Measurement.
             * @implements IMeasurement
             * @constructor
             * @param {energymonitor.v1.IMeasurement=} [properties] Properties to set
             */
            function Measurement(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Measurement deviceId.
             * @member {string} deviceId
             * @memberof energymonitor.v1.Measurement
             * @instance
             */
            Measurement.prototype.deviceId = "";

            /**
             * Measurement quantity.
             * @member {energymonitor.v1.Quantity} quantity
             * @memberof energymonitor.v1.Measurement
             * @instance
             */
            Measurement.prototype.quantity = 0;

            /**
             * Measurement value.
             * @member {number} value
             * @memberof energymonitor.v1.Measurement
             * @instance
             */
            Measurement.prototype.value = 0;

            /**
             * Measurement timestampMs.
             * @member {number} timestampMs
             * @memberof energymonitor.v1.Measurement
             * @instance
             */
            Measurement.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new Measurement instance using the specified properties.
             * @function create
             * @memberof energymonitor.v1.Measurement
             * @static
             * @param {energymonitor.v1.IMeasurement=} [properties] Properties to set
             * @returns {energymonitor.v1.Measurement} Measurement instance
             */
            Measurement.create = function create(properties) {
                return new Measurement(properties);
            };

            /**
             * Encodes the specified Measurement message. Does not implicitly {@link energymonitor.v1.Measurement.verify|verify} messages.
             * @function encode
             * @memberof energymonitor.v1.Measurement
             * @static
             * @param {energymonitor.v1.IMeasurement} message Measurement message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Measurement.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.deviceId != null && Object.hasOwnProperty.call(message, "deviceId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.deviceId);
                if (message.quantity != null && Object.hasOwnProperty.call(message, "quantity"))
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.quantity);
                if (message.value != null && Object.hasOwnProperty.call(message, "value"))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.value);
                if (message.timestampMs != null && Object.hasOwnProperty.call(message, "timestampMs"))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.timestampMs);
                return writer;
            };

            /**
             * Decodes a Measurement message from the specified reader or buffer.
             * @function decode
             * @memberof energymonitor.v1.Measurement
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {energymonitor.v1.Measurement} Measurement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Measurement.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.energymonitor.v1.Measurement();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.deviceId = reader.string();
                            break;
                        }
                    case 2: {
                            message.quantity = reader.int32();
                            break;
                        }
                    case 3: {
                            message.value = reader.double();
                            break;
                        }
                    case 4: {
                            message.timestampMs = reader.int64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Measurement
             * @function getTypeUrl
             * @memberof energymonitor.v1.Measurement
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Measurement.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/energymonitor.v1.Measurement";
            };

            return Measurement;
        })();

        v1.ReadingContainer = (function() {

            /**
             * Properties of a ReadingContainer.
             * @memberof energymonitor.v1
             * @interface IReadingContainer
             * @property {string|null} [householdId] ReadingContainer householdId
             * @property {string|null} [agentId] ReadingContainer agentId
             * @property {number|null} [seq] ReadingContainer seq
             * @property {number|null} [createdAtMs] ReadingContainer createdAtMs
             * @property {Array.<energymonitor.v1.IMeasurement>|null} [measurements] ReadingContainer measurements
             */

            /**
             * Constructs a new ReadingContainer.
             * @memberof energymonitor.v1
             * @classdesc Represents a ReadingContainer.
             * @implements IReadingContainer
             * @constructor
             * @param {energymonitor.v1.IReadingContainer=} [properties] Properties to set
             */
            function ReadingContainer(properties) {
                this.measurements = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ReadingContainer householdId.
             * @member {string} householdId
             * @memberof energymonitor.v1.ReadingContainer
             * @instance
             */
            ReadingContainer.prototype.householdId = "";

            /**
             * ReadingContainer agentId.
             * @member {string} agentId
             * @memberof energymonitor.v1.ReadingContainer
             * @instance
             */
            ReadingContainer.prototype.agentId = "";

            /**
             * ReadingContainer seq.
             * @member {number} seq
             * @memberof energymonitor.v1.ReadingContainer
             * @instance
             */
            ReadingContainer.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ReadingContainer createdAtMs.
             * @member {number} createdAtMs
             * @memberof energymonitor.v1.ReadingContainer
             * @instance
             */
            ReadingContainer.prototype.createdAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ReadingContainer measurements.
             * @member {Array.<energymonitor.v1.IMeasurement>} measurements
             * @memberof energymonitor.v1.ReadingContainer
             * @instance
             */
            ReadingContainer.prototype.measurements = $util.emptyArray;

            /**
             * Creates a new ReadingContainer instance using the specified properties.
             * @function create
             * @memberof energymonitor.v1.ReadingContainer
             * @static
             * @param {energymonitor.v1.IReadingContainer=} [properties] Properties to set
             * @returns {energymonitor.v1.ReadingContainer} ReadingContainer instance
             */
            ReadingContainer.create = function create(properties) {
                return new ReadingContainer(properties);
            };

            /**
             * Encodes the specified ReadingContainer message. Does not implicitly {@link energymonitor.v1.ReadingContainer.verify|verify} messages.
             * @function encode
             * @memberof energymonitor.v1.ReadingContainer
             * @static
             * @param {energymonitor.v1.IReadingContainer} message ReadingContainer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReadingContainer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.householdId != null && Object.hasOwnProperty.call(message, "householdId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.householdId);
                if (message.agentId != null && Object.hasOwnProperty.call(message, "agentId"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.agentId);
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.seq);
                if (message.createdAtMs != null && Object.hasOwnProperty.call(message, "createdAtMs"))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.createdAtMs);
                if (message.measurements != null && message.measurements.length)
                    for (let i = 0; i < message.measurements.length; ++i)
                        $root.energymonitor.v1.Measurement.encode(message.measurements[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a ReadingContainer message from the specified reader or buffer.
             * @function decode
             * @memberof energymonitor.v1.ReadingContainer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {energymonitor.v1.ReadingContainer} ReadingContainer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReadingContainer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.energymonitor.v1.ReadingContainer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.householdId = reader.string();
                            break;
                        }
                    case 2: {
                            message.agentId = reader.string();
                            break;
                        }
                    case 3: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 4: {
                            message.createdAtMs = reader.int64();
                            break;
                        }
                    case 5: {
                            if (!(message.measurements && message.measurements.length))
                                message.measurements = [];
                            message.measurements.push($root.energymonitor.v1.Measurement.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ReadingContainer
             * @function getTypeUrl
             * @memberof energymonitor.v1.ReadingContainer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ReadingContainer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/energymonitor.v1.ReadingContainer";
            };

            return ReadingContainer;
        })();

        return v1;
    })();

    return energymonitor;
})();

export { $root as default };

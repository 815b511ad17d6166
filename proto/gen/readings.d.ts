import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace energymonitor. */
export namespace energymonitor {

    /** Namespace v1. */
    namespace v1 {

        /** Quantity enum. */
        enum Quantity {
            QUANTITY_UNSPECIFIED = 0,
            POWER_W = 1,
            ENERGY_WH = 2,
            VOLTAGE_V = 3,
            CURRENT_A = 4,
            POWER_FACTOR = 5,
            FREQUENCY_HZ = 6,
            REACTIVE_POWER_VAR = 7,
            TEMPERATURE_C = 8
        }

        /** Properties of a Measurement. */
        interface IMeasurement {

            /** Measurement deviceId */
            deviceId?: (string|null);

            /** Measurement quantity */
            quantity?: (energymonitor.v1.Quantity|null);

            /** Measurement value */
            value?: (number|null);

            /** Measurement timestampMs */
            timestampMs?: (number|null);
        }

        /** Represents a Measurement. */
        class Measurement implements IMeasurement {

            /**
             * Constructs a new Measurement.
             * @param [properties] Properties to set
             */
            constructor(properties?: energymonitor.v1.IMeasurement);

            /** Measurement deviceId. */
            public deviceId: string;

            /** Measurement quantity. */
            public quantity: energymonitor.v1.Quantity;

            /** Measurement value. */
            public value: number;

            /** Measurement timestampMs. */
            public timestampMs: number;

            /**
             * Creates a new Measurement instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Measurement instance
             */
            public static create(properties?: energymonitor.v1.IMeasurement): energymonitor.v1.Measurement;

            /**
             * Encodes the specified Measurement message. Does not implicitly {@link energymonitor.v1.Measurement.verify|verify} messages.
             * @param message Measurement message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: energymonitor.v1.IMeasurement, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Measurement message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Measurement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): energymonitor.v1.Measurement;

            /**
             * Gets the default type url for Measurement
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ReadingContainer. */
        interface IReadingContainer {

            /** ReadingContainer householdId */
            householdId?: (string|null);

            /** ReadingContainer agentId */
            agentId?: (string|null);

            /** ReadingContainer seq */
            seq?: (number|null);

            /** ReadingContainer createdAtMs */
            createdAtMs?: (number|null);

            /** ReadingContainer measurements */
            measurements?: (energymonitor.v1.IMeasurement[]|null);
        }

        /** Represents a ReadingContainer. */
        class ReadingContainer implements IReadingContainer {

            /**
             * Constructs a new ReadingContainer.
             * @param [properties] Properties to set
             */
            constructor(properties?: energymonitor.v1.IReadingContainer);

            /** ReadingContainer householdId. */
            public householdId: string;

            /** ReadingContainer agentId. */
            public agentId: string;

            /** ReadingContainer seq. */
            public seq: number;

            /** ReadingContainer createdAtMs. */
            public createdAtMs: number;

            /** ReadingContainer measurements. */
            public measurements: energymonitor.v1.IMeasurement[];

            /**
             * Creates a new ReadingContainer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ReadingContainer instance
             */
            public static create(properties?: energymonitor.v1.IReadingContainer): energymonitor.v1.ReadingContainer;

            /**
             * Encodes the specified ReadingContainer message. Does not implicitly {@link energymonitor.v1.ReadingContainer.verify|verify} messages.
             * @param message ReadingContainer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: energymonitor.v1.IReadingContainer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ReadingContainer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ReadingContainer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): energymonitor.v1.ReadingContainer;

            /**
             * Gets the default type url for ReadingContainer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }
    }
}
